  return (
    <>
      <nav className='navbar'>
            <div className='navbar-container'>
                <Link to="/" className='navbar-logo-word'>
                <img src="gs://jayasiri-pharmacy.appspot.com/Logo/PharmacyLogo.png" className='navbar-logo' alt='logo2' />
                   &nbsp;JAYASIRI Pharmacy
                </Link>
            </div>
      </nav>
    </>
  );
