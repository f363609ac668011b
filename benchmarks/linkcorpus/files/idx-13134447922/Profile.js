        return(
            <View style={styles.container}>
                <img src="gs://rootappcse110ntl.appspot.com" + picUrl;/>
                <Text>Profile</Text>
                <Text>userName</Text>
            </View>
        );
