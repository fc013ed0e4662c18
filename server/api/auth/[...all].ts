export default defineEventHandler(async event => withStatusCode(await useAuth(event).handler(toWebRequest(event))))
