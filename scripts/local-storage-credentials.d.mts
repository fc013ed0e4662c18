export function localS3Credentials(configPath?: string): { accessKeyId: string, secretAccessKey: string }
