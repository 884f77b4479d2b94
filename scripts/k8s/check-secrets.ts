// `just check-secrets ENV`: fails with what to fix when the overlay's env file would produce a
// wrong Secret.
import { environmentArgs } from './cli.ts'
import { envFileProblems } from './env-file.ts'

const { env, keysPath: path, keysFile: shown } = environmentArgs('check-secrets')
const file = Bun.file(path)
if (!(await file.exists())) {
  console.error(
    `${shown} does not exist: run \`just secrets ${env}\`, then put the real keys in it`,
  )
  process.exit(1)
}
const problems = envFileProblems(await file.text(), await Bun.file(`${path}.example`).text())
for (const problem of problems) console.error(`${shown}: ${problem}`)
if (problems.length > 0) {
  console.error(`fix ${shown}, then run \`just check-secrets ${env}\` again`)
  process.exit(1)
}
console.log(`ok: ${shown} has every key of its example, none a placeholder`)
