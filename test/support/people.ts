/**
 * The demo portal's people by role (their ids), for every test that acts as someone on a seeded
 * portal: the seed's own table, so a test and the portal it runs on cannot disagree.
 */
export { PEOPLE } from '../../emulator/seed/people.ts'
