/**
 * S3's errors, with the codes, statuses and messages S3 answers
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 * `extra` becomes more elements of the `<Error>` document (`<Key>`, `<BucketName>`…).
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );

export const accessDenied = (message = 'Access Denied') =>
  new S3Error('AccessDenied', message, 403);

export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error(
    'InvalidArgument',
    message,
    400,
    name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
  );

export const malformedXml = (what: string) =>
  new S3Error(
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against our published schema (${what}).`,
    400,
  );

export const preconditionFailed = (condition: string) =>
  new S3Error(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    412,
    { Condition: condition },
  );

export const notImplemented = (what: string) =>
  new S3Error(
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented (the local cloud does not emulate ${what}; see packages/local-cloud/README.md, S3).`,
    501,
  );
