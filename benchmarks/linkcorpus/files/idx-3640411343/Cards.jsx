            <h1> Decision Tree</h1>
            <div className="ui card">
                <div className="image">
                    <img src="https://storage.cloud.google.com/mlalgovisualiser/7Y3FeE6AohYZMXw2QPJAazjmNh13.png?authuser=1" />
                </div>
                <div className="content">
                    <a className="header">Hello user</a>
                </div>
            </div>
