/**
 * Dialogs you await (as Elk's dialog.ts): `const comment = await ask(ApprovalReturnDialog, props, submit)`.
 *
 * A dialog here is a component with a `v-model:open` and a `confirm` event. `ask` mounts a fresh
 * one (so nothing is left over from the last time: no `reset()`), and each `confirm` goes to
 * `submit`: the dialog stays open, showing `busy` and whatever the props say, until `submit` answers
 * true; then it closes and `ask` resolves with the confirmed answer. Closed by the user (or by a
 * newer `ask`) it resolves with null. `props` may be a getter: the open dialog follows it.
 *
 * `DialogHost` renders the current dialog where the view puts it, so a dialog that does not
 * teleport opens beside what raised it (see the approval dialogs' `anchored`).
 */
import { defineComponent, h, markRaw, shallowRef, toValue, type Component, type MaybeRefOrGetter } from 'vue'

type PropsOf<C> = C extends new (...args: never[]) => { $props: infer P } ? P : never
/** The arguments of the dialog's `confirm` event. */
export type AnswerOf<C> = NonNullable<PropsOf<C> extends { onConfirm?: infer F } ? F : never> extends (...args: infer A) => unknown ? A : never
/** The props a caller gives; the host supplies `open` and the listeners. */
export type InputsOf<C> = Omit<PropsOf<C>, 'open' | 'onUpdate:open' | 'onConfirm'>

interface Current {
  readonly id: number
  readonly component: Component
  readonly props: () => Record<string, unknown>
  readonly open: boolean
  readonly confirm: (...answer: unknown[]) => Promise<void>
  readonly cancel: () => void
}

export function useDialog() {
  const current = shallowRef<Current | null>(null)
  let seq = 0

  function ask<C extends Component>(
    component: C,
    props: MaybeRefOrGetter<InputsOf<C>>,
    submit: (...answer: AnswerOf<C>) => boolean | Promise<boolean>,
  ): Promise<AnswerOf<C> | null> {
    current.value?.cancel()
    const id = ++seq
    return new Promise((resolve) => {
      let settled = false
      const close = (answer: AnswerOf<C> | null) => {
        if (settled) return
        settled = true
        // Kept mounted, closed, so the dialog plays its leave animation.
        if (current.value?.id === id) current.value = { ...current.value, open: false }
        resolve(answer)
      }
      current.value = {
        id,
        component: markRaw(component),
        props: () => toValue(props) as Record<string, unknown>,
        open: true,
        async confirm(...answer) {
          const typed = answer as AnswerOf<C>
          if (!settled && (await submit(...typed))) close(typed)
        },
        cancel: () => close(null),
      }
    })
  }

  const DialogHost = defineComponent({
    name: 'DialogHost',
    setup() {
      return () => {
        const c = current.value
        if (!c) return null
        return h(c.component, {
          ...c.props(),
          key: c.id,
          open: c.open,
          'onUpdate:open': (open: boolean) => {
            if (!open) c.cancel()
          },
          onConfirm: c.confirm,
        })
      }
    },
  })

  return { ask, DialogHost }
}
