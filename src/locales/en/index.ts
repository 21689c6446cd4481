// Every text of one language, one JSON file per feature; each file holds its own top-level keys.
import analytics from './analytics.json'
import app from './app.json'
import approval from './approval.json'
import archive from './archive.json'
import install from './install.json'
import phone from './phone.json'
import portal from './portal.json'
import settings from './settings.json'
import stages from './stages.json'
import workspace from './workspace.json'
import type { MessageSchema } from '../index.ts'

// Typed by the Russian schema: a key missing here fails type-checking (the parity test also
// catches extra keys and placeholder mismatches).
const en: MessageSchema = { ...analytics, ...app, ...approval, ...archive, ...install, ...phone, ...portal, ...settings, ...stages, ...workspace }

export default en
