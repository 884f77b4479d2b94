// The env-file checker (pure) and the secrets recipes' scripts on a copied tree.
import { afterAll, describe, expect, test } from 'bun:test'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { envFileProblems } from '../../scripts/k8s/env-file.ts'
import { envFile, overlayDir } from '../../scripts/k8s/render.ts'
import { testWhen } from '../support/requirements.ts'
import { copyK8sTree, hasKustomize, kustomizeMissing, removeCopies, runScript } from './tree.ts'

/** The scripts print paths relative to where they run: match the temp tree by its last two parts. */
const lastTwo = (path: string) => path.split('/').slice(-2).join('/')

afterAll(removeCopies)
const example = 'EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=replace-me\n'
// Built at run time so no committed file holds anything that looks like a key.
const realKey = ['dk', 'Zq81', 'xT0p', 'Lm44'].join('_')

describe('envFileProblems', () => {
  test('a filled-in file passes, comment lines and blank lines included', () => {
    expect(
      envFileProblems(`# dev keys\n\nEXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\n`, example),
    ).toEqual([])
  })

  const cases: [string, string, string][] = [
    ['missing key', 'OTHER=1\n', 'EXTERNAL_INTEGRATION_KEY_DEVELOPMENT is missing'],
    ['placeholder kept', example, 'still a placeholder'],
    ['empty value', 'EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=\n', 'still a placeholder'],
    [
      'angle-bracket placeholder',
      'EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=<your key>\n',
      'still a placeholder',
    ],
    ['double quotes', `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT="${realKey}"\n`, 'remove the quotes'],
    ['single quotes', `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT='${realKey}'\n`, 'remove the quotes'],
    [
      'inline comment',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey} # dev\n`,
      'put the comment on its own line',
    ],
    [
      'export prefix',
      `export EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\n`,
      'remove the "export " prefix',
    ],
    [
      'spaces around =',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT = ${realKey}\n`,
      'remove the spaces around "="',
    ],
    [
      'trailing spaces',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}  \n`,
      'remove the trailing spaces',
    ],
    [
      'no = sign',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\njunk\n`,
      'line 2: not KEY=value',
    ],
    [
      'a key twice',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\nEXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\n`,
      'appears twice',
    ],
    [
      'a key not in the example',
      `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\nEXTERNAL_INTEGRATION_KEY_PROD=${realKey}\n`,
      'EXTERNAL_INTEGRATION_KEY_PROD is not in the example',
    ],
  ]
  for (const [name, text, expected] of cases) {
    test(`${name}: says what to do, never the value`, () => {
      const problems = envFileProblems(text, example)
      expect(problems.join('\n')).toContain(expected)
      expect(problems.join('\n')).not.toContain(realKey)
    })
  }
})

describe('just secrets / check-secrets / render', () => {
  test('secrets creates the file from the example, private, and never overwrites it', async () => {
    const root = await copyK8sTree()
    const created = await runScript('secrets.ts', ['create', '--k8s', root, 'staging'])
    expect(created.exitCode).toBe(0)
    expect(created.stdout).toContain('EXTERNAL_INTEGRATION_KEY_STAGING')
    expect(created.stdout).toContain('just check-secrets staging')
    const path = envFile(root, 'staging')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await Bun.write(path, `EXTERNAL_INTEGRATION_KEY_STAGING=${realKey}\n`)
    const again = await runScript('secrets.ts', ['create', '--k8s', root, 'staging'])
    expect(again.stdout).toContain('already exists')
    expect(await Bun.file(path).text()).toContain(realKey)
  })

  test('check-secrets: missing file, dev placeholder (warning), then a good file', async () => {
    const root = await copyK8sTree()
    const missing = await runScript('secrets.ts', ['check', '--k8s', root, 'dev'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain('run `just secrets dev`')
    await runScript('secrets.ts', ['create', '--k8s', root, 'dev'])
    const placeholder = await runScript('secrets.ts', ['check', '--k8s', root, 'dev'])
    expect(placeholder.exitCode).toBe(0)
    expect(placeholder.stderr).toContain(
      'overlays/dev/integration-keys.env: EXTERNAL_INTEGRATION_KEY_DEVELOPMENT still the placeholder: dev runs with it',
    )
    expect(placeholder.stderr).toStartWith('warning: ')
    expect(placeholder.stderr).toContain('the health check reports DEGRADED')
    await Bun.write(envFile(root, 'dev'), `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\n`)
    const good = await runScript('secrets.ts', ['check', '--k8s', root, 'dev'])
    expect({ code: good.exitCode, out: good.stdout, err: good.stderr }).toEqual({
      code: 0,
      out: expect.stringContaining('ok:'),
      err: '',
    })
    expect(good.stdout + good.stderr).not.toContain(realKey)
  })

  test.each(['staging', 'prod'] as const)(
    'check-secrets %s refuses the placeholder and names the file to edit',
    async (env) => {
      const root = await copyK8sTree()
      await runScript('secrets.ts', ['create', '--k8s', root, env])
      const { exitCode, stderr } = await runScript('secrets.ts', ['check', '--k8s', root, env])
      expect(exitCode).toBe(1)
      expect(stderr).toMatch(
        new RegExp(
          `${env} refuses placeholder keys: edit \\S*${lastTwo(root)}/overlays/${env}/integration-keys.env `,
        ),
      )
      expect(stderr).not.toContain('warning:')
    },
  )

  test.each([
    ['staging', 'EXTERNAL_INTEGRATION_KEY_STAGING', 'EXTERNAL_API_URL_STAGING'],
    ['prod', 'EXTERNAL_INTEGRATION_KEY_PRODUCTION', 'EXTERNAL_API_URL_PRODUCTION'],
  ] as const)(
    'check-secrets %s with a real key refuses the placeholder URL until the overlay sets one',
    async (env, key, variable) => {
      const root = await copyK8sTree()
      await Bun.write(envFile(root, env), `${key}=${realKey}\n`)
      const kustomization = join(overlayDir(root, env), 'kustomization.yaml')
      const refused = await runScript('secrets.ts', ['check', '--k8s', root, env])
      expect(refused.exitCode).toBe(1)
      expect(refused.stderr).toMatch(
        new RegExp(
          `${lastTwo(root)}/overlays/${env}/kustomization.yaml: ${variable} is still the placeholder https://\\S+\\.invalid/v1/logs: set it to the URL`,
        ),
      )
      const text = await Bun.file(kustomization).text()
      await Bun.write(kustomization, text.replace(/(?<==https:\/\/)[^/]+/, 'logs.example.com'))
      const ok = await runScript('secrets.ts', ['check', '--k8s', root, env])
      expect({ code: ok.exitCode, err: ok.stderr }).toEqual({ code: 0, err: '' })
      await Bun.write(kustomization, text.replace(`- ${variable}=`, '- UNRELATED='))
      const unset = await runScript('secrets.ts', ['check', '--k8s', root, env])
      expect(unset.exitCode).toBe(1)
      expect(unset.stderr).toContain(`backend-api-config sets no ${variable}: add it`)
      expect(refused.stderr + ok.stdout + unset.stderr).not.toContain(realKey)
    },
  )

  test('a dev file with a quoted key is refused even though dev allows placeholders', async () => {
    const root = await copyK8sTree()
    await Bun.write(envFile(root, 'dev'), `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT="${realKey}"\n`)
    const { exitCode, stderr } = await runScript('secrets.ts', ['check', '--k8s', root, 'dev'])
    expect(exitCode).toBe(1)
    expect(stderr).toContain('remove the quotes')
    expect(stderr).not.toContain(realKey)
  })

  testWhen(hasKustomize, kustomizeMissing)(
    'render prints the overlay with the Secret redacted',
    async () => {
      const root = await copyK8sTree()
      await Bun.write(envFile(root, 'dev'), `EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${realKey}\n`)
      const { exitCode, stdout } = await runScript('render-overlay.ts', ['--k8s', root, 'dev'])
      expect(exitCode).toBe(0)
      expect(stdout).toContain('name: backend-api-service-unique')
      expect(stdout).toContain('EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: <redacted>')
      expect(stdout).not.toContain(Buffer.from(realKey).toString('base64'))
      expect(stdout).not.toContain(realKey)
    },
    30_000,
  )

  testWhen(hasKustomize, kustomizeMissing)(
    'render dev runs with the placeholder, with the warning on stderr',
    async () => {
      const root = await copyK8sTree()
      await runScript('secrets.ts', ['create', '--k8s', root, 'dev'])
      const { exitCode, stdout, stderr } = await runScript('render-overlay.ts', [
        '--k8s',
        root,
        'dev',
      ])
      expect(exitCode).toBe(0)
      expect(stdout).toContain('EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: <redacted>')
      expect(stderr).toContain('warning: ')
    },
    30_000,
  )

  test('render refuses a prod placeholder, names the file and points at check-secrets', async () => {
    const root = await copyK8sTree()
    await Bun.write(
      join(overlayDir(root, 'prod'), 'integration-keys.env'),
      'EXTERNAL_INTEGRATION_KEY_PRODUCTION=replace-me\n',
    )
    const { exitCode, stderr } = await runScript('render-overlay.ts', ['--k8s', root, 'prod'])
    expect(exitCode).toBe(1)
    expect(stderr).toMatch(
      new RegExp(`edit \\S*${lastTwo(root)}/overlays/prod/integration-keys.env `),
    )
    expect(stderr).toContain('just check-secrets prod')
  })
})
