// The overlay's git-ignored integration-keys.env:
//   `just secrets ENV`        creates it from its example (placeholders only) and says which keys
//                             to fill in; an existing file is never overwritten;
//   `just check-secrets ENV`  fails with what to fix when it would produce a wrong Secret
//                             (placeholders included, except in dev: see keys-policy.ts).
//
//   bun run scripts/k8s/secrets.ts create|check [--k8s DIR] ENV
import { chmod, copyFile } from 'node:fs/promises'
import { type EnvironmentArgs, environmentArgs } from './cli.ts'
import { exampleKeys } from './env-file.ts'
import { deployable } from './keys-policy.ts'

async function create({ env, keysPath: path, keysFile: shown }: EnvironmentArgs) {
  if (await Bun.file(path).exists()) {
    console.log(
      `${shown} already exists and was left as it is: check it with \`just check-secrets ${env}\``,
    )
    return
  }
  await copyFile(`${path}.example`, path)
  await chmod(path, 0o600)
  const keys = exampleKeys(await Bun.file(path).text())
  console.log(`created ${shown} (git-ignored, mode 600)`)
  console.log(`edit it: replace the placeholder of ${keys.join(', ')} with the real key(s),`)
  console.log(`one KEY=value per line, no quotes, no comments after the value, no "export "`)
  console.log(`then run \`just check-secrets ${env}\``)
}

async function check(args: EnvironmentArgs) {
  if (!(await deployable(args))) process.exit(1)
  console.log(
    `ok: ${args.keysFile} has every key of its example, in a form kustomize reads as meant`,
  )
}

const [mode, ...rest] = Bun.argv.slice(2)
if (mode === 'create') await create(environmentArgs('secrets', rest))
else if (mode === 'check') await check(environmentArgs('check-secrets', rest))
else {
  console.error('usage: bun run scripts/k8s/secrets.ts create|check [--k8s DIR] ENV')
  process.exit(2)
}
