const attachmentBucketName = process.env.GCS_ATTACHMENT_BUCKET;
const callBucketName = process.env.GCS_CALL_BUCKET;

export function getPfpLink(name) {
  return `https://storage.googleapis.com/${pfpBucketName}/${name}`;
}
export function getAttachmentLink(name) {
  return `https://storage.googleapis.com/${attachmentBucketName}/${name}`;
}
