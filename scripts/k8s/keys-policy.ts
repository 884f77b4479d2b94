// Which overlays may run with the example's placeholder keys. dev may: its external API is a dummy,
// so with or without a real key /download_external_logs answers with an upstream error and the
// health check reports DEGRADED. staging and prod must not ship `replace-me`: `just check-secrets`,
// `just render` (hence `just deploy`) and `just up` refuse them there. Values are never printed.
import type { EnvironmentArgs } from './cli.ts'
import { envFileReport } from './env-file.ts'
import type { Environment } from './render.ts'

const placeholdersAllowed = (env: Environment): boolean => env === 'dev'

/** Prints what is wrong with the overlay's env file (stderr); true when it may be deployed. */
export async function keysDeployable({
  env,
  keysPath,
  keysFile,
}: EnvironmentArgs): Promise<boolean> {
  const file = Bun.file(keysPath)
  if (!(await file.exists())) {
    console.error(
      `${keysFile} does not exist: run \`just secrets ${env}\`, then put the real keys in it`,
    )
    return false
  }
  const example = await Bun.file(`${keysPath}.example`).text()
  const { placeholders, problems } = envFileReport(await file.text(), example)
  for (const problem of problems) console.error(`${keysFile}: ${problem}`)
  const refused = placeholders.length > 0 && !placeholdersAllowed(env)
  if (placeholders.length > 0) {
    const keys = placeholders.join(', ')
    console.error(
      refused
        ? `${keysFile}: ${keys} still the placeholder, and ${env} refuses placeholder keys: edit ${keysFile} and put the real key(s) there`
        : `warning: ${keysFile}: ${keys} still the placeholder: dev runs with it, but the backend's /download_external_logs answers with an upstream error and the health check reports DEGRADED; for real calls edit ${keysFile}`,
    )
  }
  if (problems.length === 0 && !refused) return true
  console.error(`fix ${keysFile}, then run \`just check-secrets ${env}\` again`)
  return false
}
