// `just render ENV`: the overlay as it would be applied, with Secret values redacted so the
// output can be shown, diffed or pasted. Apply with `kubectl apply -k`, not with this output.
import { stringify } from 'yaml'
import { environmentArgs } from './cli.ts'
import { envFileProblems } from './env-file.ts'
import { overlayDir, render } from './render.ts'

const { env, root, keysPath, keysFile: shown } = environmentArgs('render')
const keys = Bun.file(keysPath)
if (!(await keys.exists())) {
  console.error(`${shown} does not exist: run \`just secrets ${env}\` and fill it in first`)
  process.exit(1)
}
if (envFileProblems(await keys.text(), await Bun.file(`${keysPath}.example`).text()).length > 0) {
  console.error(`${shown} has problems: run \`just check-secrets ${env}\` to see them`)
  process.exit(1)
}
try {
  const objects = await render(overlayDir(root, env))
  for (const o of objects) {
    if (o.kind === 'Secret' && o.data) {
      o.data = Object.fromEntries(Object.keys(o.data).map((k) => [k, '<redacted>']))
    }
  }
  console.log(objects.map((o) => stringify(o)).join('---\n'))
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
