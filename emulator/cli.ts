/**
 * npx tsx emulator/cli.ts [--port N] [--data .data/portal.json] [--reset] [--contracts 100000]
 *                         [--handler-url URL] [--no-rate-limit] [--rate-profile standard|enterprise]
 *                         [--control-token T] [--seed demo|people|none]
 */
import { SEED_KINDS, startEmulator, type EmulatorOptions, type SeedKind } from './server.ts'
import { isRateProfile } from './core/ratelimit.ts'

const USAGE = `Bitrix24 portal emulator

  npm run emulator -- [options]

  --port N             portal port (default PORTAL_PORT or 8080)
  --host H             listen address and portal domain (default 127.0.0.1)
  --data FILE          persist the portal to FILE (default .data/portal.json)
  --no-data            keep everything in memory
  --reset              ignore the saved portal and seed anew
  --seed KIND          ${SEED_KINDS.join(' | ')} (default demo)
  --contracts N        add N generated contracts (benchmarks; e.g. 100000)
  --handler-url URL    where the app is served (default http://127.0.0.1:5173/)
  --no-rate-limit      switch the leaky bucket off
  --rate-profile P     standard (2/s, burst 50; default) | enterprise (5/s, burst 250)
  --control-token T    secret for /_emulator/control and /_emulator/reset (default: random)
  --help               this text

  EMULATOR_WEBHOOK_TOKEN fixes the admin's webhook secret; EMULATOR_CONTROL_TOKEN the control token.`

function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = {
    port: Number(process.env.PORTAL_PORT ?? 8080),
    dataFile: '.data/portal.json',
    webhookToken: process.env.EMULATOR_WEBHOOK_TOKEN || undefined,
    controlToken: process.env.EMULATOR_CONTROL_TOKEN || undefined,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const next = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    switch (arg) {
      case '--help':
      case '-h':
        console.log(USAGE)
        process.exit(0)
        break
      case '--port': opts.port = Number(next()); break
      case '--data': opts.dataFile = next(); break
      case '--no-data': opts.dataFile = null; break
      case '--reset': opts.reset = true; break
      case '--contracts': opts.scaleContracts = Number(next()); break
      case '--handler-url': opts.handlerUrl = next(); break
      case '--no-rate-limit': opts.rateLimit = false; break
      case '--rate-profile': {
        const profile = next()
        if (!isRateProfile(profile)) throw new Error('--rate-profile takes standard or enterprise')
        opts.rateLimit = profile
        break
      }
      case '--control-token': opts.controlToken = next(); break
      case '--seed': {
        const seed = next()
        if (!SEED_KINDS.includes(seed as SeedKind)) throw new Error(`--seed takes ${SEED_KINDS.join(', ')}`)
        opts.seed = seed as SeedKind
        break
      }
      case '--host': opts.host = next(); break
      default: throw new Error(`Unknown argument ${arg}`)
    }
  }
  return opts
}

let options: EmulatorOptions
try {
  options = parseArgs(process.argv.slice(2))
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`)
  process.exit(2)
}
const emu = await startEmulator(options)
console.log(`Bitrix24 portal emulator: ${emu.origin}`)
console.log(`Admin webhook: ${emu.adminWebhookUrl}`)
console.log(`Control token: ${emu.controlToken}  (header X-Emulator-Token for /_emulator/control and /_emulator/reset)`)
const stop = (): void => {
  void emu.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
