/**
 * The installer's steps as the wizard shows them: the order they run in. `record` is last but
 * one: its presence means "install complete".
 */
export const INSTALL_STEPS = ['admin', 'type', 'stages', 'fields', 'placements', 'routes', 'storage', 'record', 'finish'] as const

export type InstallStepId = (typeof INSTALL_STEPS)[number]
