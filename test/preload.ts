// Preloaded by bunfig.toml for every `bun test` run: hooks here span the whole run.
import { afterAll } from 'bun:test'
import { clearLeftovers, clearLeftoversOnSignals } from './support/leftovers.ts'

clearLeftoversOnSignals()
afterAll(clearLeftovers)
