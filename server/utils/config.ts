// Every TTL, limit and policy knob lives here; routes never carry magic numbers.
export const authConfig = {
  minPasswordLength: 8,
} as const

export const healthConfig = {
  probeTimeoutMs: 3000,
} as const
