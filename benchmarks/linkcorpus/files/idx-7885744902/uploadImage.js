	const blob = bucket.file(filename);
	const blobStream = blob.createWriteStream({
		resumable: false
	});
	blobStream
		.on('finish', () => resolve(`https://storage.googleapis.com/${config.accessBucketName}/${blob.name}`))
		.on('error', (e) => reject(e))
		.end(buffer);
});

module.exports = uploadImage;
