// Applies the committed drizzle migrations: `npm run db:migrate` (DATABASE_URL), or imported by the runners.
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'

const migrationsFolder = fileURLToPath(new URL('../drizzle/migrations', import.meta.url))

export async function migrateDatabase(connectionString) {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await migrate(drizzle(client), { migrationsFolder })
  }
  finally {
    await client.end()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL
  if (!url) {
    console.error('Set DATABASE_URL to the Postgres database to migrate.')
    process.exit(1)
  }
  const started = performance.now()
  await migrateDatabase(url)
  console.log(`Migrations applied in ${Math.round(performance.now() - started)} ms`)
}
