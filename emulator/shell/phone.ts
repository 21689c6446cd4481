import type { EmulatorContext, PlacementBinding } from '../core/types.ts'
import { esc, jsonForScript } from './layout.ts'
import { bindingTitle, boundPlacements, type FrameSpec, type PageCtx } from './pages.ts'
import { activeUsers, fullName, strings, type Lang } from './session.ts'

/**
 * Phone mode: the Bitrix24 mobile app's chat, as far as an app can be seen in it
 * (api-reference/widgets/mobile-app.md). The app's only mobile placement is IMMOBILE_CONTEXT_MENU:
 * an item of the *Apps* menu above the input field of a chat. Tapping *Apps* lists the handlers
 * bound to it (named by TITLE, for the user's language); with none bound the menu does not open
 * and a notice says there are no apps. An item opens as a separate page on top of the
 * conversation, POSTed like every placement (public/app-frame.js), with PLACEMENT_OPTIONS
 * `{"dialogId": …}` only (no URI). The mobile app filters by neither `context`, `role` nor
 * `extranet`, so neither does this menu: the handler checks rights itself.
 *
 * `/mobile/` is the company's general chat (`chat1`); `/mobile/chat/{dialogId}/` another one:
 * `chatNNN` for a group chat, a user id for a private conversation.
 */

export const MOBILE_MENU = 'IMMOBILE_CONTEXT_MENU'

const TEXT = {
  ru: {
    chats: 'Чаты',
    generalChat: 'Общий чат',
    groupChat: 'Групповой чат',
    members: ['участник', 'участника', 'участников'],
    privateChat: 'личный чат',
    created: 'Чат создан',
    welcome: 'Добро пожаловать в общий чат компании.',
    apps: 'Приложения',
    noApps: 'Нет приложений',
    message: 'Сообщение',
    send: 'Отправить',
    close: 'Закрыть',
    actingAs: 'Вы работаете как',
    phoneMode: 'Мобильное приложение',
    desktop: 'Веб-версия',
  },
  en: {
    chats: 'Chats',
    generalChat: 'General chat',
    groupChat: 'Group chat',
    members: ['member', 'members', 'members'],
    privateChat: 'private chat',
    created: 'Chat created',
    welcome: 'Welcome to the company’s general chat.',
    apps: 'Apps',
    noApps: 'No apps',
    message: 'Message',
    send: 'Send',
    close: 'Close',
    actingAs: 'Acting as',
    phoneMode: 'Mobile app',
    desktop: 'Web version',
  },
} as const

export type PhoneText = (typeof TEXT)[Lang]

export function phoneText(lang: Lang): PhoneText {
  return TEXT[lang]
}

interface ChatInfo {
  dialogId: string
  title: string
  subtitle: string
}

/** «1 участник», «3 участника», «12 участников»; English: one / other. */
export function counted(n: number, forms: readonly [string, string, string], lang: Lang): string {
  if (lang === 'en') return `${n} ${n === 1 ? forms[0] : forms[1]}`
  const d10 = n % 10
  const d100 = n % 100
  const form = d10 === 1 && d100 !== 11 ? forms[0] : d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14) ? forms[1] : forms[2]
  return `${n} ${form}`
}

/** The chat a dialogId names: `chatNNN` a group chat (chat1: the general one), a number a person. */
export function chatOf(ctx: EmulatorContext, dialogId: string, lang: Lang): ChatInfo | null {
  const t = TEXT[lang]
  const people = activeUsers(ctx)
  const group = /^chat(\d+)$/.exec(dialogId)
  if (group) {
    return { dialogId, title: group[1] === '1' ? t.generalChat : `${t.groupChat} ${group[1]}`, subtitle: counted(people.length, t.members, lang) }
  }
  if (/^\d+$/.test(dialogId)) {
    const u = people.find((p) => p.ID === Number(dialogId))
    return u ? { dialogId, title: fullName(u), subtitle: u.WORK_POSITION || t.privateChat } : null
  }
  return null
}

/** The *Apps* menu's items: every handler bound to IMMOBILE_CONTEXT_MENU, hidden until installFinish. */
export function mobileMenuItems(ctx: EmulatorContext, lang: Lang): Array<{ title: string; binding: PlacementBinding }> {
  return boundPlacements(ctx, MOBILE_MENU).map((b) => ({ title: bindingTitle(b, lang), binding: b }))
}

/** The whole phone page: a slim emulator bar (who you are), then a 375 px phone with the chat. */
export function phonePage(pc: PageCtx, dialogId: string): string | undefined {
  const chat = chatOf(pc.ctx, dialogId, pc.lang)
  if (!chat) return undefined
  const t = TEXT[pc.lang]
  const items = mobileMenuItems(pc.ctx, pc.lang)
  const frames: FrameSpec[] = items.map(() => ({ placement: MOBILE_MENU, options: { dialogId: chat.dialogId } }))
  const options = activeUsers(pc.ctx)
    .map((u) => `<option value="${u.ID}"${u.ID === pc.user.ID ? ' selected' : ''}>${esc(u.WORK_POSITION ? `${fullName(u)} — ${u.WORK_POSITION}` : fullName(u))}</option>`)
    .join('')
  const admin = activeUsers(pc.ctx).find((u) => u.IS_ADMIN)
  const config = {
    kind: 'phone',
    origin: pc.ctx.origin,
    user: { id: pc.user.ID, name: fullName(pc.user), isAdmin: pc.user.IS_ADMIN, lang: pc.lang },
    strings: strings(pc.lang),
    phone: t,
    frames,
    titles: items.map((i) => i.title),
  }
  const menu = items
    .map((i, n) => `<li role="none"><button type="button" role="menuitem" class="phone-menu-item" data-frame="${n}" data-testid="phone-menu-item"><span class="phone-app-icon" aria-hidden="true">▦</span>${esc(i.title)}</button></li>`)
    .join('')
  return `<!doctype html>
<html lang="${pc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${esc(chat.title)} — ${esc(t.phoneMode)}</title>
<link rel="icon" type="image/svg+xml" href="/shell/static/favicon.svg">
<link rel="stylesheet" href="/shell/static/phone.css">
<script type="application/json" id="shell-config">${jsonForScript(config)}</script>
<script type="module" src="/shell/static/phone.js"></script>
</head>
<body class="phone-body">
<div class="emu-bar">
  <label class="emu-switcher"><span>${esc(t.actingAs)}</span>
    <select data-testid="user-switcher" aria-label="${esc(t.actingAs)}">${options}</select>
  </label>
  <a class="emu-link" href="/">${esc(t.desktop)}</a>
</div>
<div class="phone" data-testid="phone">
  <header class="phone-head">
    <span class="phone-back" aria-hidden="true">‹</span>
    <div class="phone-chat-title">
      <b data-testid="phone-chat-title">${esc(chat.title)}</b>
      <span>${esc(chat.subtitle)}</span>
    </div>
  </header>
  <div class="phone-messages" data-testid="phone-chat" data-dialog-id="${esc(chat.dialogId)}">
    <p class="phone-system">${esc(t.created)}</p>
    ${admin && chat.dialogId === 'chat1' ? `<div class="phone-msg"><b>${esc(fullName(admin))}</b><p>${esc(t.welcome)}</p></div>` : ''}
  </div>
  <div class="phone-toolbar">
    <button type="button" class="phone-apps" data-testid="phone-apps" aria-haspopup="menu" aria-expanded="false">${esc(t.apps)}</button>
  </div>
  <div class="phone-input">
    <input type="text" aria-label="${esc(t.message)}" placeholder="${esc(t.message)}" readonly>
    <button type="button" class="phone-send" aria-label="${esc(t.send)}" disabled>➤</button>
  </div>
  <div class="phone-sheet-backdrop" data-testid="phone-sheet" hidden>
    <div class="phone-sheet">
      <h2 class="phone-sheet-title">${esc(t.apps)}</h2>
      <ul class="phone-menu" role="menu" aria-label="${esc(t.apps)}">${menu}</ul>
    </div>
  </div>
  <div class="phone-toast" role="status" data-testid="phone-toast" hidden></div>
  <section class="phone-widget" data-testid="phone-widget" hidden>
    <header class="phone-widget-head">
      <button type="button" class="phone-widget-close" data-testid="phone-widget-close" aria-label="${esc(t.close)}">×</button>
      <h1 class="phone-widget-title" data-testid="page-title"></h1>
    </header>
    <div class="phone-widget-host" data-frame-host="widget"></div>
  </section>
</div>
</body>
</html>`
}
