// `just render ENV`: the overlay as it would be applied, with Secret values redacted so the
// output can be shown, diffed or pasted. Apply with `kubectl apply -k`, not with this output.
import { stringify } from 'yaml'
import { environmentArgs } from './cli.ts'
import { deployable } from './keys-policy.ts'
import { overlayDir, render } from './render.ts'

const args = environmentArgs('render')
if (!(await deployable(args))) process.exit(1)
try {
  const objects = await render(overlayDir(args.root, args.env))
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
