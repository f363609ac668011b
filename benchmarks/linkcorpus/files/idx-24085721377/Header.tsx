        <Link
          target="_blank"
          to="https://udata.co.jp/"
          className="mb-4 flex items-center text-2xl font-semibold text-white"
        >
          <img
            className="mr-2 h-80 w-80"
            src="https://storage.cloud.google.com/udata-test/img/company_logo.svg"
            alt="logo"
            loading="eager"
          />
        </Link>
