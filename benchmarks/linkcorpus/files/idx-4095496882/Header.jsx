        <Flex alignItems="center" justifyContent="between">
          <Box marginStart={5}>
            <img
              style={{ width: "25%" }}
              src="https://docs.google.com/uc?export=download&id=1BBtd-kShtbf0LjZhLbNmNTn85mLPuVym"
            />
          </Box>
        </Flex>
