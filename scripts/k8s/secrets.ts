// `just secrets ENV`: creates the overlay's git-ignored env file from its example (placeholders
// only) and says which keys to fill in. An existing file is never overwritten.
import { chmod, copyFile } from 'node:fs/promises'
import { environmentArgs } from './cli.ts'
import { exampleKeys } from './env-file.ts'

const { env, keysPath: path, keysFile: shown } = environmentArgs('secrets')
if (await Bun.file(path).exists()) {
  console.log(
    `${shown} already exists and was left as it is: check it with \`just check-secrets ${env}\``,
  )
  process.exit(0)
}
await copyFile(`${path}.example`, path)
await chmod(path, 0o600)
const keys = exampleKeys(await Bun.file(path).text())
console.log(`created ${shown} (git-ignored, mode 600)`)
console.log(`edit it: replace the placeholder of ${keys.join(', ')} with the real key(s),`)
console.log(`one KEY=value per line, no quotes, no comments after the value, no "export "`)
console.log(`then run \`just check-secrets ${env}\``)
