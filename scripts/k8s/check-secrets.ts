// `just check-secrets ENV`: fails with what to fix when the overlay's env file would produce a
// wrong Secret (placeholders included, except in dev: see keys-policy.ts).
import { environmentArgs } from './cli.ts'
import { deployable } from './keys-policy.ts'

const args = environmentArgs('check-secrets')
if (!(await deployable(args))) process.exit(1)
console.log(`ok: ${args.keysFile} has every key of its example, in a form kustomize reads as meant`)
