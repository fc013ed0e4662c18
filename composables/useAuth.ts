import { createAuthClient } from 'better-auth/vue'

interface SessionUser { id: string, name: string, email: string }

let client: ReturnType<typeof createAuthClient> | undefined
function authClient() {
  client ??= createAuthClient({ baseURL: window.location.origin })
  return client
}

/** Session state shared by pages and middleware; SSR-safe (the server fetch forwards the request's cookie). */
export function useAuth() {
  const user = useState<SessionUser | null>('auth:user', () => null)
  const loaded = useState('auth:loaded', () => false)
  const requestFetch = useRequestFetch()

  async function refresh() {
    const session = await requestFetch<{ user: SessionUser } | null>('/api/auth/get-session').catch(() => null)
    user.value = session?.user ?? null
    loaded.value = true
  }

  async function ensureLoaded() {
    if (!loaded.value) await refresh()
  }

  async function signUp(input: { name: string, email: string, password: string }) {
    const { error } = await authClient().signUp.email(input)
    if (error) throw new Error(error.message ?? 'Could not create the account')
    await refresh()
  }

  async function signIn(input: { email: string, password: string }) {
    const { error } = await authClient().signIn.email(input)
    if (error) throw new Error(error.status === 401 ? 'Wrong email or password' : (error.message ?? 'Could not sign in'))
    await refresh()
  }

  /** Deletes the account and everything it stored; the password is asked again. */
  async function deleteAccount(password: string) {
    const { error } = await authClient().deleteUser({ password })
    if (error) throw new Error(error.status === 400 && /password/i.test(error.message ?? '') ? 'Wrong password' : (error.message ?? 'Could not delete the account'))
    user.value = null
  }

  async function signOut() {
    await authClient().signOut()
    user.value = null
  }

  return { user: readonly(user), refresh, ensureLoaded, signUp, signIn, signOut, deleteAccount }
}
