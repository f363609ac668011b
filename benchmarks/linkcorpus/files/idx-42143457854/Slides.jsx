        <Carousel>
          <Carousel.Item>
            <img
              width="250px"
              className="d-block w-100"
              src="https://firebasestorage.googleapis.com/v0/b/independent-real-estate-broker.appspot.com/o/images%2Fsemper-fi.gif?alt=media&token=b76e3c62-728a-480a-9f33-57f14be091a1"
              alt="First slide"
            />
            <Carousel.Caption>
              <h3>First slide label</h3>
            </Carousel.Caption>
          </Carousel.Item>
        </Carousel>
