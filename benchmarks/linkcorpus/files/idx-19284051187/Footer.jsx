let indents = [];

for (let i = 0; i < 3; i++) {
    indents.push(
        <li>
            <div className="avatar-wrap">
                <div className="avatar">
                <img src="https://storage.cloud.google.com/aldiwildan_bucket/foto-005.jpg" style={{width: 'inherit',height: 'inherit', borderRadius: '50px'}}/>
                </div>
            </div>
        </li>
    )
}
