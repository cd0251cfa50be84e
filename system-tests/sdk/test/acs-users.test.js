// Every acs.users.* call through the official SDK, on a fresh sandbox workspace (so lists can be
// compared exactly): create (linked to a user identity or not), get (by id, by identity and
// system), list (every filter, limit + page_cursor, the SDK's paginator), update, suspend,
// unsuspend and delete, plus the errors the SDK must understand.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpInvalidInputError } from '@seamapi/http'

import { TIMESTAMP, UUID, admin, randomUUID, rejection, seamClient } from '../lib/env.js'
import { ASYNC_EFFECT_BOUND_MS, apiError, createAcsSandbox, eventually, idsOf } from '../lib/acs.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const marker = `acsu-${randomUUID().slice(0, 8)}`
let sandbox
let seam
let system
let jane // a user identity
let janeUser // her ACS user, linked at creation
let bob // an ACS user without identity, with contact details
let carol // an ACS user with only the required fields
let eveUser // the ACS user credential-service created for a new identity

function assertAcsUser(user, context) {
  assertMatchesSchema('acs_user', user, context)
  assert.equal(user.workspace_id, sandbox.workspace.workspace_id, `${context}: workspace_id`)
  assert.equal(user.acs_system_id, system.acs_system_id, `${context}: acs_system_id`)
  assert.equal(user.connected_account_id, system.connected_account_id, `${context}: connected_account_id`)
  assert.match(user.acs_user_id, UUID, `${context}: acs_user_id`)
  assert.match(user.created_at, TIMESTAMP, `${context}: created_at is ISO-8601 UTC with milliseconds`)
  assert.equal(user.is_managed, true, `${context}: is_managed`)
  return user
}

const userIds = (users) => idsOf(users, 'acs_user_id')

/** Every ACS user of `parameters`, page by page with limit + page_cursor. */
async function listAll(parameters) {
  const users = []
  let cursor
  for (let page = 0; page < 100; page++) {
    const response = await seam.acs.users.list({ ...parameters, page_cursor: cursor }).fetchResponse()
    users.push(...response.acs_users)
    if (!response.pagination.has_next_page) return users
    cursor = response.pagination.next_page_cursor
  }
  assert.fail('acs.users.list did not end after 100 pages')
}

test('setup: a fresh sandbox workspace with its ACS system, and a user identity', async () => {
  sandbox = await createAcsSandbox()
  seam = sandbox.seam
  system = sandbox.acsSystem
  assert.equal(system.is_credential_manager, true)
  jane = await seam.userIdentities.create({
    user_identity_key: `${marker}-jane`,
    email_address: `${marker}-jane@example.com`,
    phone_number: `+1555${String(Date.now()).slice(-7)}`,
    full_name: `Jane ${marker}`,
  })
})

test('acs.users.create links an ACS user to a user identity just created', async () => {
  const startsAt = new Date(Date.now() - 60_000).toISOString()
  const endsAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
  janeUser = await seam.acs.users.create({
    acs_system_id: system.acs_system_id,
    user_identity_id: jane.user_identity_id,
    full_name: `Jane Doe ${marker}`,
    email_address: `${marker}-jane.acs@example.com`,
    phone_number: '+15555550101',
    access_schedule: { starts_at: startsAt, ends_at: endsAt },
  })
  assertAcsUser(janeUser, 'acs.users.create (jane)')
  assert.equal(janeUser.full_name, `Jane Doe ${marker}`)
  assert.equal(janeUser.display_name, `Jane Doe ${marker}`)
  assert.equal(janeUser.email_address, `${marker}-jane.acs@example.com`)
  assert.equal(janeUser.phone_number, '+15555550101')
  assert.equal(janeUser.user_identity_id, jane.user_identity_id)
  assert.equal(janeUser.user_identity_full_name, jane.full_name)
  assert.equal(janeUser.user_identity_email_address, jane.email_address)
  assert.equal(janeUser.user_identity_phone_number, jane.phone_number)
  assert.deepEqual(janeUser.access_schedule, { starts_at: startsAt, ends_at: endsAt })
  assert.equal(janeUser.is_suspended, false)
  assert.deepEqual(janeUser.errors, [])
  assert.deepEqual(janeUser.warnings, [])
})

test('acs.users.create without a user identity: with contact details, and with the required fields only', async () => {
  bob = await seam.acs.users.create({
    acs_system_id: system.acs_system_id,
    full_name: `Bob ${marker}`,
    email: `${marker}-bob@example.com`, // the deprecated name of email_address
    phone_number: '+15555550102',
  })
  assertAcsUser(bob, 'acs.users.create (bob)')
  assert.equal(bob.email_address, `${marker}-bob@example.com`)
  assert.equal(bob.user_identity_id, undefined)

  carol = await seam.acs.users.create({ acs_system_id: system.acs_system_id, full_name: `Carol ${marker}` })
  assertAcsUser(carol, 'acs.users.create (carol)')
  assert.equal(carol.full_name, `Carol ${marker}`)
  assert.equal(carol.email_address, undefined)
  assert.equal(carol.access_schedule, undefined)
  assert.equal(carol.is_suspended, false)
  assert.ok(new Set([janeUser.acs_user_id, bob.acs_user_id, carol.acs_user_id]).size === 3, 'three distinct ids')
})

test('identity-service links the ACS user created for the identity (listAcsUsers, listAcsSystems)', async () => {
  const value = await seam.userIdentities.listAcsUsers({ user_identity_id: jane.user_identity_id })
  assert.equal(value.length, 1, 'the ACS user is in userIdentities.listAcsUsers')
  assertMatchesSchema('acs_user', value[0], 'userIdentities.listAcsUsers[0]')
  assert.equal(value[0].acs_user_id, janeUser.acs_user_id)
  const systems = await seam.userIdentities.listAcsSystems({ user_identity_id: jane.user_identity_id })
  assert.deepEqual(systems.map((s) => s.acs_system_id), [system.acs_system_id])
})

test('a user identity has at most one ACS user per ACS system', async () => {
  await apiError(() => seam.acs.users.create({
    acs_system_id: system.acs_system_id, user_identity_id: jane.user_identity_id, full_name: 'Jane Again',
  }), 'user_identity_already_has_acs_user', 409)
})

test('acs.users.get finds an ACS user by acs_user_id, and by user_identity_id with acs_system_id', async () => {
  const byId = assertAcsUser(await seam.acs.users.get({ acs_user_id: janeUser.acs_user_id }), 'acs.users.get by id')
  assert.deepEqual(byId, janeUser)
  const byIdentity = await seam.acs.users.get({ user_identity_id: jane.user_identity_id, acs_system_id: system.acs_system_id })
  assertAcsUser(byIdentity, 'acs.users.get by identity and system')
  assert.deepEqual(byIdentity, janeUser)
  assert.deepEqual(assertAcsUser(await seam.acs.users.get({ acs_user_id: carol.acs_user_id }), 'get carol'), carol)
})

test('acs.users.list without filters returns the workspace\'s ACS users, newest first', async () => {
  const users = await seam.acs.users.list()
  users.forEach((user, i) => assertAcsUser(user, `acs.users.list()[${i}]`))
  assert.deepEqual(users.map((u) => u.acs_user_id), [carol.acs_user_id, bob.acs_user_id, janeUser.acs_user_id])
  assert.deepEqual(users[2], janeUser)
})

test('acs.users.list filters by acs_system_id, user_identity_id, user_identity_email_address, search and created_before', async () => {
  const bySystem = await seam.acs.users.list({ acs_system_id: system.acs_system_id })
  bySystem.forEach((user, i) => assertAcsUser(user, `list by acs_system_id [${i}]`))
  assert.deepEqual(userIds(bySystem), userIds([janeUser, bob, carol]))
  assert.deepEqual(await seam.acs.users.list({ acs_system_id: randomUUID() }), [])

  const byIdentity = await seam.acs.users.list({ user_identity_id: jane.user_identity_id })
  byIdentity.forEach((user, i) => assertAcsUser(user, `list by user_identity_id [${i}]`))
  assert.deepEqual(byIdentity, [janeUser])
  assert.deepEqual(await seam.acs.users.list({ user_identity_id: randomUUID() }), [])
  assert.deepEqual(userIds(await seam.acs.users.list({ user_identity_email_address: jane.email_address })), [janeUser.acs_user_id])
  assert.deepEqual(userIds(await seam.acs.users.list({ user_identity_phone_number: jane.phone_number })), [janeUser.acs_user_id])
  assert.deepEqual(await seam.acs.users.list({ user_identity_email_address: `nobody-${marker}@example.com` }), [])

  assert.deepEqual(userIds(await seam.acs.users.list({ search: `Bob ${marker}` })), [bob.acs_user_id])
  assert.deepEqual(userIds(await seam.acs.users.list({ search: `${marker}-bob@` })), [bob.acs_user_id])
  assert.deepEqual(userIds(await seam.acs.users.list({ search: marker })), userIds([janeUser, bob, carol]))
  assert.deepEqual(userIds(await seam.acs.users.list({ search: carol.acs_user_id })), [carol.acs_user_id])
  assert.deepEqual(await seam.acs.users.list({ search: `nobody-${marker}` }), [])

  const beforeCarol = await seam.acs.users.list({ created_before: carol.created_at })
  beforeCarol.forEach((user) => assert.ok(user.created_at < carol.created_at, `${user.created_at} < ${carol.created_at}`))
  assert.ok(!beforeCarol.some((u) => u.acs_user_id === carol.acs_user_id), 'created_before excludes the user created at that time')
  assert.ok(beforeCarol.some((u) => u.acs_user_id === janeUser.acs_user_id), 'created_before includes earlier users')
  assert.deepEqual(await seam.acs.users.list({ created_before: janeUser.created_at, acs_system_id: system.acs_system_id }), [])
})

test('acs.users.list pages with limit and page_cursor, and createPaginator walks every page', async () => {
  const first = await seam.acs.users.list({ limit: 2 }).fetchResponse()
  assert.equal(first.ok, true)
  assert.equal(first.acs_users.length, 2)
  first.acs_users.forEach((user, i) => assertAcsUser(user, `page 1 [${i}]`))
  assertMatchesSchema('pagination', first.pagination, 'page 1 pagination')
  assert.equal(first.pagination.has_next_page, true)
  const second = await seam.acs.users.list({ limit: 2, page_cursor: first.pagination.next_page_cursor }).fetchResponse()
  assertMatchesSchema('pagination', second.pagination, 'page 2 pagination')
  assert.deepEqual(second.pagination, { has_next_page: false, next_page_cursor: null, next_page_url: null })
  assert.deepEqual([...first.acs_users, ...second.acs_users].map((u) => u.acs_user_id),
    [carol.acs_user_id, bob.acs_user_id, janeUser.acs_user_id])

  const pages = []
  for await (const page of seam.createPaginator(seam.acs.users.list({ limit: 1 }))) {
    page.forEach((user, i) => assertAcsUser(user, `paginator page ${pages.length + 1} [${i}]`))
    pages.push(page)
  }
  assert.deepEqual(pages.map((page) => page.length), [1, 1, 1])
  const all = await seam.createPaginator(seam.acs.users.list({ acs_system_id: system.acs_system_id, limit: 2 })).flattenToArray()
  assert.deepEqual(all.map((u) => u.acs_user_id), pages.flat().map((u) => u.acs_user_id))
  assert.deepEqual(all.map((u) => u.acs_user_id), (await listAll({ limit: 1 })).map((u) => u.acs_user_id))
})

test('a user identity\'s changes reach its ACS user\'s user_identity_* fields', async () => {
  await seam.userIdentities.update({ user_identity_id: jane.user_identity_id, full_name: `Jane Q ${marker}` })
  const value = await seam.acs.users.get({ acs_user_id: janeUser.acs_user_id })
  assertAcsUser(value, 'get after the identity was updated')
  assert.equal(value.user_identity_full_name, `Jane Q ${marker}`)
  assert.equal(value.full_name, janeUser.full_name, 'the ACS user\'s own name is its own')
  assert.equal(value.user_identity_email_address, jane.email_address)
  janeUser = value
})

test('userIdentities.addAcsUser and removeAcsUser link and unlink an existing ACS user', async () => {
  const dora = await seam.userIdentities.create({ full_name: `Dora ${marker}`, email_address: `${marker}-dora@example.com` })
  await seam.userIdentities.addAcsUser({ user_identity_id: dora.user_identity_id, acs_user_id: carol.acs_user_id })
  const linked = await seam.acs.users.get({ acs_user_id: carol.acs_user_id })
  assertAcsUser(linked, 'get after addAcsUser')
  assert.equal(linked.user_identity_id, dora.user_identity_id)
  assert.equal(linked.user_identity_full_name, dora.full_name)
  assert.equal(linked.user_identity_email_address, dora.email_address)
  assert.equal(linked.full_name, carol.full_name)
  assert.deepEqual(await seam.acs.users.list({ user_identity_id: dora.user_identity_id }), [linked])
  assert.deepEqual(linked, await seam.acs.users.get({ user_identity_id: dora.user_identity_id, acs_system_id: system.acs_system_id }))

  await seam.userIdentities.removeAcsUser({ user_identity_id: dora.user_identity_id, acs_user_id: carol.acs_user_id })
  const unlinked = await seam.acs.users.get({ acs_user_id: carol.acs_user_id })
  assertAcsUser(unlinked, 'get after removeAcsUser')
  assert.deepEqual(unlinked, carol)
  assert.deepEqual(await seam.acs.users.list({ user_identity_id: dora.user_identity_id }), [])
})

test('userIdentities.create with acs_system_ids: an unlinked ACS user with the same email is linked, else one is created', async () => {
  const bobIdentity = await seam.userIdentities.create({ full_name: `Bob Identity ${marker}`, email_address: bob.email_address,
    acs_system_ids: [system.acs_system_id] })
  const linkedBob = await seam.acs.users.get({ acs_user_id: bob.acs_user_id })
  assertAcsUser(linkedBob, 'the matched ACS user')
  assert.equal(linkedBob.user_identity_id, bobIdentity.user_identity_id)
  assert.equal(linkedBob.full_name, bob.full_name)
  assert.equal(linkedBob.user_identity_full_name, bobIdentity.full_name)

  const eve = await seam.userIdentities.create({ full_name: `Eve ${marker}`, acs_system_ids: [system.acs_system_id] })
  const eveUsers = await seam.acs.users.list({ user_identity_id: eve.user_identity_id })
  assert.equal(eveUsers.length, 1, 'the ACS user created for the identity')
  assertAcsUser(eveUsers[0], 'the ACS user created for the identity')
  assert.equal(eveUsers[0].full_name, eve.full_name)
  assert.equal(eveUsers[0].user_identity_id, eve.user_identity_id)
  assert.deepEqual(idsOf(await seam.userIdentities.listAcsUsers({ user_identity_id: eve.user_identity_id }), 'acs_user_id'),
    [eveUsers[0].acs_user_id], 'identity-service links the created ACS user')
  bob = linkedBob
  eveUser = eveUsers[0]
})

test('acs.users.update (PATCH) changes the fields given and keeps the others', async () => {
  const endsAt = new Date(Date.now() + 30 * 86_400_000).toISOString()
  const startsAt = new Date(Date.now() + 86_400_000).toISOString()
  assert.equal(await seam.acs.users.update({
    acs_user_id: bob.acs_user_id,
    full_name: `Robert ${marker}`,
    phone_number: '+15555550199',
    access_schedule: { starts_at: startsAt, ends_at: endsAt },
  }), undefined)
  const updated = assertAcsUser(await seam.acs.users.get({ acs_user_id: bob.acs_user_id }), 'get after update')
  assert.equal(updated.full_name, `Robert ${marker}`)
  assert.equal(updated.display_name, `Robert ${marker}`)
  assert.equal(updated.phone_number, '+15555550199')
  assert.equal(updated.email_address, bob.email_address, 'email_address kept')
  assert.deepEqual(updated.access_schedule, { starts_at: startsAt, ends_at: endsAt })
  assert.equal(updated.created_at, bob.created_at)

  // By user identity and system, only the email address.
  await seam.acs.users.update({
    user_identity_id: jane.user_identity_id, acs_system_id: system.acs_system_id, email_address: `${marker}-jane.new@example.com`,
  })
  const jane2 = assertAcsUser(await seam.acs.users.get({ acs_user_id: janeUser.acs_user_id }), 'get jane after update')
  assert.equal(jane2.email_address, `${marker}-jane.new@example.com`)
  assert.equal(jane2.full_name, janeUser.full_name)
  assert.deepEqual(jane2.access_schedule, janeUser.access_schedule)
  bob = updated
  janeUser = jane2
})

test('acs.users.suspend and unsuspend (POST) flip is_suspended, and are idempotent', async () => {
  assert.equal(await seam.acs.users.suspend({ acs_user_id: carol.acs_user_id }), undefined)
  assert.equal((await seam.acs.users.get({ acs_user_id: carol.acs_user_id })).is_suspended, true)
  await seam.acs.users.suspend({ acs_user_id: carol.acs_user_id })
  const suspended = assertAcsUser(await seam.acs.users.get({ acs_user_id: carol.acs_user_id }), 'get suspended')
  assert.equal(suspended.is_suspended, true)
  assert.ok((await seam.acs.users.list()).find((u) => u.acs_user_id === carol.acs_user_id).is_suspended, 'list shows it')

  assert.equal(await seam.acs.users.unsuspend({ acs_user_id: carol.acs_user_id }), undefined)
  await seam.acs.users.unsuspend({ acs_user_id: carol.acs_user_id })
  const unsuspended = assertAcsUser(await seam.acs.users.get({ acs_user_id: carol.acs_user_id }), 'get unsuspended')
  assert.equal(unsuspended.is_suspended, false)

  // By user identity and system.
  await seam.acs.users.suspend({ user_identity_id: jane.user_identity_id, acs_system_id: system.acs_system_id })
  assert.equal((await seam.acs.users.get({ acs_user_id: janeUser.acs_user_id })).is_suspended, true)
  await seam.acs.users.unsuspend({ user_identity_id: jane.user_identity_id, acs_system_id: system.acs_system_id })
  assert.equal((await seam.acs.users.get({ acs_user_id: janeUser.acs_user_id })).is_suspended, false)
})

// Suspending publishes acs_credential.invalidated, which device-gateway applies by taking the
// credential off the ACS; unsuspending issues it again. Programming the ACS is asynchronous in Seam
// too, so these are polled, within ASYNC_EFFECT_BOUND_MS.
test('suspending an ACS user takes its credentials off the ACS; unsuspending puts them back', async () => {
  const credential = await seam.acs.credentials.create({ acs_user_id: bob.acs_user_id, access_method: 'code', code: '90210' })
  const held = async () => (await admin('/admin/sandbox/list_acs_credentials', {
    workspace_id: sandbox.workspace.workspace_id, acs_system_id: system.acs_system_id,
  })).sandbox_acs_credentials.find((c) => c.acs_credential_id === credential.acs_credential_id)
  try {
    await eventually(held, (c) => c?.is_held === true,
      { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'the sandbox ACS programming the credential' })
    await seam.acs.users.suspend({ acs_user_id: bob.acs_user_id })
    await eventually(held, (c) => c?.is_held === false,
      { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'the sandbox ACS dropping a suspended user\'s credential' })
    await seam.acs.users.unsuspend({ acs_user_id: bob.acs_user_id })
    await eventually(held, (c) => c?.is_held === true,
      { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'the sandbox ACS holding the credential again' })
  } finally {
    await seam.acs.users.unsuspend({ acs_user_id: bob.acs_user_id })
    await seam.acs.credentials.delete({ acs_credential_id: credential.acs_credential_id })
  }
})

test('invalid input throws SeamHttpInvalidInputError naming the parameter', async () => {
  const email = await rejection(() => seam.acs.users.create({
    acs_system_id: system.acs_system_id, full_name: 'X', email_address: 'not an email',
  }), SeamHttpInvalidInputError)
  assert.ok(email.getValidationErrorMessages('email_address').length > 0, 'email_address is named')
  const phone = await rejection(() => seam.acs.users.create({
    acs_system_id: system.acs_system_id, full_name: 'X', phone_number: '555-0100',
  }), SeamHttpInvalidInputError)
  assert.ok(phone.getValidationErrorMessages('phone_number').length > 0, 'phone_number is named')
  // The SDK itself refuses a missing full_name; an empty one reaches the server.
  const name = await rejection(() => seam.acs.users.create({ acs_system_id: system.acs_system_id, full_name: '' }),
    SeamHttpInvalidInputError)
  assert.ok(name.getValidationErrorMessages('full_name').length > 0, 'full_name is named')
  const schedule = await rejection(() => seam.acs.users.create({
    acs_system_id: system.acs_system_id, full_name: 'X',
    access_schedule: { starts_at: '2030-01-02T00:00:00.000Z', ends_at: '2030-01-01T00:00:00.000Z' },
  }), SeamHttpInvalidInputError)
  assert.equal(schedule.code, 'invalid_input')
  const id = await rejection(() => seam.acs.users.get({ acs_user_id: 'nope' }), SeamHttpInvalidInputError)
  assert.ok(id.getValidationErrorMessages('acs_user_id').length > 0, 'acs_user_id is named')
  const limit = await rejection(() => seam.acs.users.list({ limit: 0 }), SeamHttpInvalidInputError)
  assert.ok(limit.getValidationErrorMessages('limit').length > 0, 'limit is named')
  const cursor = await rejection(() => seam.acs.users.list({ page_cursor: 'garbage' }), SeamHttpInvalidInputError)
  assert.ok(cursor.getValidationErrorMessages('page_cursor').length > 0, 'page_cursor is named')
})

test('unknown ids are not found: ACS users, ACS systems, user identities', async () => {
  await apiError(() => seam.acs.users.get({ acs_user_id: randomUUID() }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.get({ user_identity_id: randomUUID(), acs_system_id: system.acs_system_id }),
    'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.update({ acs_user_id: randomUUID(), full_name: 'X' }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.suspend({ acs_user_id: randomUUID() }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.unsuspend({ acs_user_id: randomUUID() }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.delete({ acs_user_id: randomUUID() }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.create({ acs_system_id: randomUUID(), full_name: 'X' }), 'acs_system_not_found', 404)
  await apiError(() => seam.acs.users.create({
    acs_system_id: system.acs_system_id, full_name: 'X', user_identity_id: randomUUID(),
  }), 'user_identity_not_found', 404)
})

test('another workspace sees none of these ACS users', async () => {
  const other = seamClient()
  await apiError(() => other.acs.users.get({ acs_user_id: janeUser.acs_user_id }), 'acs_user_not_found', 404)
  await apiError(() => other.acs.users.delete({ acs_user_id: janeUser.acs_user_id }), 'acs_user_not_found', 404)
  await apiError(() => other.acs.users.create({ acs_system_id: system.acs_system_id, full_name: 'X' }), 'acs_system_not_found', 404)
  const theirs = await other.acs.users.list({ search: marker })
  assert.deepEqual(theirs, [])
})

test('the platform\'s sandbox workspace takes ACS users on its credential manager', async () => {
  const platformSeam = seamClient()
  const manager = (await platformSeam.acs.systems.list()).find((s) => s.external_type === 'assa_abloy_credential_service')
  assert.ok(manager, 'the sandbox workspace has the ASSA ABLOY Credential Service')
  const user = await platformSeam.acs.users.create({ acs_system_id: manager.acs_system_id, full_name: `Sandbox ${marker}` })
  assertMatchesSchema('acs_user', user, 'acs.users.create (sandbox workspace)')
  assert.equal(user.acs_system_id, manager.acs_system_id)
  assert.deepEqual(await platformSeam.acs.users.get({ acs_user_id: user.acs_user_id }), user)
  await platformSeam.acs.users.delete({ acs_user_id: user.acs_user_id })
  await apiError(() => platformSeam.acs.users.get({ acs_user_id: user.acs_user_id }), 'acs_user_not_found', 404)
})

test('acs.users.delete (DELETE) deletes the ACS user and its credentials; identity-service unlinks it', async () => {
  const credential = await seam.acs.credentials.create({ acs_user_id: janeUser.acs_user_id, access_method: 'code', code: '482913' })
  assertMatchesSchema('acs_credential', credential, 'a credential of the ACS user')

  assert.equal(await seam.acs.users.delete({ acs_user_id: janeUser.acs_user_id }), undefined)
  await apiError(() => seam.acs.users.get({ acs_user_id: janeUser.acs_user_id }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.users.delete({ acs_user_id: janeUser.acs_user_id }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.credentials.get({ acs_credential_id: credential.acs_credential_id }), 'acs_credential_not_found', 404)
  assert.deepEqual(userIds(await seam.acs.users.list()), userIds([bob, carol, eveUser]))
  assert.deepEqual(await seam.acs.users.list({ user_identity_id: jane.user_identity_id }), [])
  assert.deepEqual(await seam.userIdentities.listAcsUsers({ user_identity_id: jane.user_identity_id }), [],
    'identity-service unlinks the deleted ACS user')

  // By user identity and system: the identity may have a new ACS user on the system, then lose it.
  const again = await seam.acs.users.create({
    acs_system_id: system.acs_system_id, user_identity_id: jane.user_identity_id, full_name: `Jane Again ${marker}`,
  })
  assertAcsUser(again, 'a new ACS user of the identity')
  await seam.acs.users.delete({ user_identity_id: jane.user_identity_id, acs_system_id: system.acs_system_id })
  await apiError(() => seam.acs.users.get({ acs_user_id: again.acs_user_id }), 'acs_user_not_found', 404)

  for (const user of [bob, carol, eveUser]) {
    await seam.acs.users.delete({ acs_user_id: user.acs_user_id })
  }
  assert.deepEqual(await seam.acs.users.list(), [])
})
