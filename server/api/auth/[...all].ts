export default defineEventHandler(async event => withStatusCode(await useBetterAuth(event).handler(toWebRequest(event))))
