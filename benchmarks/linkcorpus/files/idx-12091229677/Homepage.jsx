import React from 'react';
import './Homepage.scss';
import {Button} from "@mui/material";

const Homepage = () => {
  return (
    <main className='Homepage'>
      <img src="https://storage.cloud.google.com/tech_company_logos/snowflake-logo.png" referrerPolicy="no-referrer" alt=""/>
      <img src="https://storage.cloud.google.com/tech_company_logos/snowflake-logo.png" alt=""/>
    </main>
  );
};
