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

/** Russian is the source of truth: its shape is the MessageSchema every language must have. */
export default { ...analytics, ...app, ...approval, ...archive, ...install, ...phone, ...portal, ...settings, ...stages, ...workspace }
