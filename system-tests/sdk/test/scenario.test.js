// The lost-phone story end to end: a property manager's day, in order, in one fresh sandbox
// workspace, through the official SDK. A resident (user identity) gets two phones, an ACS user on
// the sandbox's ASSA ABLOY Credential Service, a multi-phone-sync mobile key (a child on each
// phone) and access to two doors; one phone is lost and deactivated, and its revocation is watched
// on every view that must show it (each timed, printed); a new phone gets its own child; then
// everything is cleaned up and the identity deleted, which is refused while anything depends on it.
//
// What a call wrote is read at once, on every service (the platform is read-your-writes consistent
// across contexts); only Seam's asynchronous effects (children issued on the phones, revocation of
// a lost phone's keys, programming on the ACS) are watched, within ASYNC_EFFECT_BOUND_MS. Once one
// view has shown such an effect, the others are read at once.
//
// Every response object is checked against Seam's OpenAPI component schemas.
import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { test } from 'node:test'

import { SeamHttpApiError } from '@seamapi/http'

import { TIMESTAMP, UUID, randomUUID } from '../lib/env.js'
import { ASYNC_EFFECT_BOUND_MS, apiError, createAcsSandbox, idsOf } from '../lib/acs.js'
import { assertMatchesSchema } from '../lib/schemas.js'
import { printTimings, sandboxAcsCredentials, watchViews } from '../lib/views.js'

const marker = `day-${randomUUID().slice(0, 8)}`
/**
 * Children issued or revoked and programming on the ACS are asynchronous in Seam: each view must
 * show them within this (the flows take tens of ms; see lib/acs.js).
 */
const PROPAGATION_MS = ASYNC_EFFECT_BOUND_MS

let sandbox
let seam
let workspaceId
let system
const day = {} // what the day creates, by name

// --- checks of every object the API answers with -------------------------------------------

function checked(name, value, context) {
  assertMatchesSchema(name, value, context)
  if ('workspace_id' in value) assert.equal(value.workspace_id, workspaceId, `${context}: workspace_id`)
  return value
}

const checkedAll = (name, values, context) => values.map((value, i) => checked(name, value, `${context}[${i}]`))

function credentialChecked(credential, context) {
  checked('acs_credential', credential, context)
  assert.equal(credential.acs_system_id, system.acs_system_id, `${context}: acs_system_id`)
  assert.match(credential.created_at, TIMESTAMP, `${context}: created_at`)
  assert.deepEqual(credential.errors, [], `${context}: errors`)
  return credential
}

/** Lists through fetchResponse, so the pagination object is checked too. */
async function listed(request, key, schema, context) {
  const response = await request.fetchResponse()
  if (response.pagination !== undefined) assertMatchesSchema('pagination', response.pagination, `${context} pagination`)
  assert.ok(Array.isArray(response[key]), `${context}: "${key}" is an array`)
  return schema === 'acs_credential'
    ? response[key].map((c, i) => credentialChecked(c, `${context}[${i}]`))
    : checkedAll(schema, response[key], context)
}

const credentials = (parameters = {}, context = 'acs.credentials.list') =>
  listed(seam.acs.credentials.list(parameters), 'acs_credentials', 'acs_credential', context)
const phones = (parameters = {}, context = 'phones.list') => listed(seam.phones.list(parameters), 'phones', 'phone', context)
const credentialIds = (list) => idsOf(list, 'acs_credential_id')
const heldOnAcs = async () => sandboxAcsCredentials(workspaceId, system.acs_system_id)
const onAcs = (held, id) => held.find((c) => c.acs_credential_id === id)

// --- the day ---------------------------------------------------------------------------------

test('morning: a fresh sandbox workspace with its devices and ASSA ABLOY credential manager', async () => {
  sandbox = await createAcsSandbox()
  seam = sandbox.seam
  workspaceId = sandbox.workspace.workspace_id
  checked('workspace', await seam.workspaces.get(), 'workspaces.get')
  system = checked('acs_system', await seam.acs.systems.get({ acs_system_id: sandbox.acsSystem.acs_system_id }), 'acs.systems.get')
  assert.equal(system.external_type, 'assa_abloy_credential_service')
  assert.equal(system.is_credential_manager, true)
  const systems = await listed(seam.acs.systems.list(), 'acs_systems', 'acs_system', 'acs.systems.list')
  assert.deepEqual(idsOf(systems, 'acs_system_id'), [system.acs_system_id])
})

test('a new resident: userIdentities.create', async () => {
  day.identity = checked('user_identity', await seam.userIdentities.create({
    user_identity_key: `${marker}-resident`,
    email_address: `${marker}-resident@example.com`,
    phone_number: `+1555${String(Date.now()).slice(-7)}`,
    full_name: `Rita Resident ${marker}`,
  }), 'userIdentities.create')
  assert.match(day.identity.user_identity_id, UUID)
  assert.deepEqual(day.identity.acs_user_ids, [])
  assert.deepEqual(checked('user_identity', await seam.userIdentities.get({ user_identity_id: day.identity.user_identity_id }),
    'userIdentities.get'), day.identity)
})

test('her two phones: phones.simulate.createSandboxPhone twice', async () => {
  const owner = day.identity.user_identity_id
  day.phoneA = checked('phone', await seam.phones.simulate.createSandboxPhone({
    user_identity_id: owner, phone_metadata: { operating_system: 'ios', device_model: 'iPhone 15' },
  }), 'createSandboxPhone (A)')
  day.phoneB = checked('phone', await seam.phones.simulate.createSandboxPhone({
    user_identity_id: owner, phone_metadata: { operating_system: 'android', device_model: 'Pixel 8' },
  }), 'createSandboxPhone (B)')
  assert.equal(day.phoneA.device_type, 'ios_phone')
  assert.equal(day.phoneB.device_type, 'android_phone')
  for (const phone of [day.phoneA, day.phoneB]) {
    assert.deepEqual(checked('phone', await seam.phones.get({ device_id: phone.device_id }), 'phones.get'), phone)
  }
  assert.deepEqual(idsOf(await phones({ owner_user_identity_id: owner }, 'phones.list by owner'), 'device_id'),
    idsOf([day.phoneA, day.phoneB], 'device_id'))
})

test('an ACS user on the sandbox ACS system, linked to her (acs.users.create, then userIdentities.addAcsUser)', async () => {
  day.acsUser = checked('acs_user', await seam.acs.users.create({
    acs_system_id: system.acs_system_id,
    full_name: `Rita Resident ${marker}`,
    email_address: `${marker}-rita.acs@example.com`,
  }), 'acs.users.create')
  assert.equal(day.acsUser.acs_system_id, system.acs_system_id)
  assert.equal(day.acsUser.user_identity_id, undefined, 'not linked yet')

  // identity-service knows the ACS user credential-service just created.
  await seam.userIdentities.addAcsUser({ user_identity_id: day.identity.user_identity_id, acs_user_id: day.acsUser.acs_user_id })
  // Linking again is idempotent (the SDK retries PUT).
  await seam.userIdentities.addAcsUser({ user_identity_id: day.identity.user_identity_id, acs_user_id: day.acsUser.acs_user_id })

  const acsUsers = checkedAll('acs_user', await seam.userIdentities.listAcsUsers({ user_identity_id: day.identity.user_identity_id }),
    'userIdentities.listAcsUsers')
  assert.deepEqual(idsOf(acsUsers, 'acs_user_id'), [day.acsUser.acs_user_id])
  const identity = checked('user_identity', await seam.userIdentities.get({ user_identity_id: day.identity.user_identity_id }),
    'userIdentities.get after addAcsUser')
  assert.deepEqual(identity.acs_user_ids, [day.acsUser.acs_user_id])
  const acsSystems = checkedAll('acs_system', await seam.userIdentities.listAcsSystems({ user_identity_id: day.identity.user_identity_id }),
    'userIdentities.listAcsSystems')
  assert.deepEqual(idsOf(acsSystems, 'acs_system_id'), [system.acs_system_id])

  // credential-service shows the link at once.
  const linked = checked('acs_user', await seam.acs.users.get({ acs_user_id: day.acsUser.acs_user_id }), 'acs.users.get after the link')
  assert.equal(linked.user_identity_id, day.identity.user_identity_id, 'the link shows on acs.users.get')
  assert.equal(linked.user_identity_full_name, day.identity.full_name)
  day.acsUser = linked
})

test('a multi-phone-sync mobile key: a child on each phone, programmed on the sandbox ACS', async () => {
  const created = performance.now()
  day.parent = credentialChecked(await seam.acs.credentials.create({
    acs_user_id: day.acsUser.acs_user_id, access_method: 'mobile_key', is_multi_phone_sync_credential: true,
  }), 'acs.credentials.create (multi-phone sync)')
  assert.equal(day.parent.is_multi_phone_sync_credential, true)
  assert.equal(day.parent.access_method, 'mobile_key')
  assert.equal(day.parent.acs_user_id, day.acsUser.acs_user_id)
  assert.equal(day.parent.user_identity_id, day.identity.user_identity_id)

  const phoneIds = idsOf([day.phoneA, day.phoneB], 'device_id')
  const timings = await watchViews({
    'acs.credentials.list({user_identity_id})': {
      probe: () => credentials({ user_identity_id: day.identity.user_identity_id }),
      done: (list) => list.filter((c) => c.parent_acs_credential_id === day.parent.acs_credential_id).length === 2,
    },
    'sandbox ACS holds a child per phone': {
      probe: heldOnAcs,
      done: (held) => idsOf(held.filter((c) => c.is_held && c.device_id != null), 'device_id').join() === phoneIds.join(),
    },
  }, { since: created, timeoutMs: PROPAGATION_MS })
  printTimings('children issued, after acs.credentials.create was called', timings)

  const listedCredentials = await credentials({ user_identity_id: day.identity.user_identity_id })
  assert.equal(listedCredentials.length, 3, 'the parent and one child per phone')
  assert.deepEqual(listedCredentials.find((c) => c.acs_credential_id === day.parent.acs_credential_id), day.parent)
  day.children = listedCredentials.filter((c) => c.acs_credential_id !== day.parent.acs_credential_id)
  for (const child of day.children) {
    assert.equal(child.parent_acs_credential_id, day.parent.acs_credential_id)
    assert.equal(child.access_method, 'mobile_key')
    assert.equal(child.is_multi_phone_sync_credential, false)
    assert.equal(child.acs_user_id, day.acsUser.acs_user_id)
    assert.equal(child.user_identity_id, day.identity.user_identity_id)
    assert.equal(child.is_issued, true)
    assert.match(child.issued_at, TIMESTAMP)
    assert.deepEqual(credentialChecked(await seam.acs.credentials.get({ acs_credential_id: child.acs_credential_id }), 'get child'), child)
  }

  // Which phone holds which child: acs.credentials.list has shown the children, so phone-service shows them too.
  day.childOn = new Map()
  for (const child of day.children) {
    const value = await phones({ acs_credential_id: child.acs_credential_id })
    assert.equal(value.length, 1, `phones.list({acs_credential_id: ${child.acs_credential_id}}) finds the phone it was issued to`)
    day.childOn.set(value[0].device_id, child)
  }
  assert.deepEqual([...day.childOn.keys()].sort(), phoneIds, 'one child on each phone')
  const held = await heldOnAcs()
  for (const [deviceId, child] of day.childOn) {
    const programmed = onAcs(held, child.acs_credential_id)
    assert.ok(programmed, `the sandbox ACS was asked to program ${child.acs_credential_id}`)
    assert.equal(programmed.device_id, deviceId)
    assert.equal(programmed.is_held, true)
    assert.equal(programmed.times_programmed, 1)
  }
})

test('access to two doors: userIdentities.grantAccessToDevice and listAccessibleDevices', async () => {
  const locks = await listed(seam.devices.list({ device_types: ['august_lock', 'schlage_lock'] }), 'devices', 'device', 'devices.list')
  assert.equal(locks.length, 2, 'the sandbox has the Front Door and the Back Door')
  day.doors = locks
  for (const door of day.doors) {
    // devices.list has shown the doors, so identity-service knows them.
    await seam.userIdentities.grantAccessToDevice({ user_identity_id: day.identity.user_identity_id, device_id: door.device_id })
  }
  const response = await seam.userIdentities.listAccessibleDevices({ user_identity_id: day.identity.user_identity_id }).fetchResponse()
  checkedAll('device', response.devices, 'listAccessibleDevices devices')
  checkedAll('device', response.accessible_devices, 'listAccessibleDevices accessible_devices')
  assert.deepEqual(idsOf(response.devices, 'device_id'), idsOf(day.doors, 'device_id'))
  for (const door of day.doors) {
    const accessible = response.devices.find((d) => d.device_id === door.device_id)
    assert.equal(accessible.display_name, door.display_name)
    assert.equal(accessible.device_type, door.device_type)
  }
})

test('afternoon, the phone is lost: phones.deactivate, and its revocation shows on every view', async () => {
  const lostPhone = day.phoneA
  const keptPhone = day.phoneB
  const lost = day.childOn.get(lostPhone.device_id)
  const kept = day.childOn.get(keptPhone.device_id)
  const identityId = day.identity.user_identity_id
  const acsUsersBefore = await seam.userIdentities.listAcsUsers({ user_identity_id: identityId })
  const survivors = credentialIds([day.parent, kept])

  const called = performance.now()
  await seam.phones.deactivate({ device_id: lostPhone.device_id })
  const answered = performance.now()
  console.log(`phones.deactivate answered in ${Math.round(answered - called)} ms`)
  const hasOnlySurvivors = (list) => credentialIds(list.filter((c) => survivors.includes(c.acs_credential_id)
    || c.acs_credential_id === lost.acs_credential_id)).join() === survivors.join()

  // What phones.deactivate wrote itself shows at once: the phone is gone from phone-service's views
  // (phones.list lists active phones, so also by the lost child).
  await apiError(() => seam.phones.get({ device_id: lostPhone.device_id }), 'phone_not_found', 404)
  const activePhones = await phones({}, 'phones.list()')
  assert.ok(!activePhones.some((p) => p.device_id === lostPhone.device_id), 'the lost phone is out of phones.list()')
  assert.ok(activePhones.some((p) => p.device_id === keptPhone.device_id), 'the kept phone is in phones.list()')
  assert.deepEqual(await phones({ acs_credential_id: lost.acs_credential_id }, 'phones.list by the lost child'), [])

  // The revocation of its keys is asynchronous in Seam: watched on each view.
  const timings = await watchViews({
    'acs.credentials.list(): child gone, rest stays': {
      probe: () => credentials({}, 'acs.credentials.list()'),
      done: hasOnlySurvivors,
    },
    'acs.credentials.get (lost child): not found': {
      probe: () => seam.acs.credentials.get({ acs_credential_id: lost.acs_credential_id }).then(() => 'found', (e) => e.code),
      done: (code) => code === 'acs_credential_not_found',
    },
    'acs.credentials.list({acs_user_id})': {
      probe: () => credentials({ acs_user_id: day.acsUser.acs_user_id }, 'acs.credentials.list by acs_user_id'),
      done: (list) => credentialIds(list).join() === survivors.join(),
    },
    'acs.credentials.list({user_identity_id})': {
      probe: () => credentials({ user_identity_id: identityId }, 'acs.credentials.list by user_identity_id'),
      done: (list) => credentialIds(list).join() === survivors.join(),
    },
    'sandbox ACS removed the lost child': {
      probe: heldOnAcs,
      done: (held) => onAcs(held, lost.acs_credential_id)?.is_held === false,
    },
  }, { since: answered, timeoutMs: PROPAGATION_MS, intervalMs: 10 })
  printTimings('the lost phone\'s revocation became visible, after phones.deactivate answered', timings)

  // What stays: the kept phone's child and the parent, everywhere.
  assert.deepEqual(credentialChecked(await seam.acs.credentials.get({ acs_credential_id: kept.acs_credential_id }), 'get kept child'), kept)
  assert.deepEqual(credentialChecked(await seam.acs.credentials.get({ acs_credential_id: day.parent.acs_credential_id }), 'get parent'),
    day.parent)
  assert.deepEqual(credentialIds(await credentials({ acs_system_id: system.acs_system_id })), survivors)
  const keptPhones = await phones({ acs_credential_id: kept.acs_credential_id }, 'phones.list by the kept child')
  assert.deepEqual(idsOf(keptPhones, 'device_id'), [keptPhone.device_id], 'phones.list({acs_credential_id}) finds only the phone that kept its child')
  assert.deepEqual(idsOf(await phones({ owner_user_identity_id: identityId }), 'device_id'), [keptPhone.device_id])
  assert.deepEqual(checked('phone', await seam.phones.get({ device_id: keptPhone.device_id }), 'phones.get kept'), keptPhone)

  const held = await heldOnAcs()
  const removed = onAcs(held, lost.acs_credential_id)
  assert.equal(removed.times_removed, 1, 'removed from the ACS once')
  assert.equal(removed.times_programmed, 1)
  assert.equal(onAcs(held, kept.acs_credential_id).is_held, true, 'the kept phone\'s child stays on the ACS')
  assert.equal(onAcs(held, kept.acs_credential_id).times_removed, 0)

  // The identity's view: same ACS user, its credentials without the lost child.
  const acsUsersAfter = checkedAll('acs_user', await seam.userIdentities.listAcsUsers({ user_identity_id: identityId }),
    'userIdentities.listAcsUsers after the loss')
  assert.deepEqual(acsUsersAfter, acsUsersBefore)
  assert.deepEqual(credentialIds(await credentials({ user_identity_id: identityId })), survivors)
  day.children = [kept]
  day.childOn.delete(lostPhone.device_id)
  day.lostChild = lost
})

test('a replacement phone: a new child is issued to it and programmed on the sandbox ACS', async () => {
  const called = performance.now()
  day.phoneC = checked('phone', await seam.phones.simulate.createSandboxPhone({
    user_identity_id: day.identity.user_identity_id, phone_metadata: { operating_system: 'ios', device_model: 'iPhone 16' },
  }), 'createSandboxPhone (C)')
  const answered = performance.now()
  const isNewChild = (c) => c.parent_acs_credential_id === day.parent.acs_credential_id
    && !day.children.some((k) => k.acs_credential_id === c.acs_credential_id)
    && c.acs_credential_id !== day.lostChild.acs_credential_id
  let newChildId
  const timings = await watchViews({
    'acs.credentials.list({user_identity_id}): new child': {
      probe: () => credentials({ user_identity_id: day.identity.user_identity_id }),
      done: (list) => {
        const child = list.find(isNewChild)
        if (child) newChildId = child.acs_credential_id
        return child !== undefined
      },
    },
    'sandbox ACS holds a child on the new phone': {
      probe: heldOnAcs,
      done: (held) => held.some((c) => c.device_id === day.phoneC.device_id && c.is_held),
    },
  }, { since: answered, timeoutMs: PROPAGATION_MS })
  printTimings(`the new phone's child (createSandboxPhone answered in ${Math.round(answered - called)} ms), after it answered`, timings)

  // acs.credentials.list has shown the new child: every other view shows it at once.
  const child = credentialChecked(await seam.acs.credentials.get({ acs_credential_id: newChildId }), 'get new child')
  assert.equal(child.acs_user_id, day.acsUser.acs_user_id)
  assert.equal(child.user_identity_id, day.identity.user_identity_id)
  assert.equal(child.is_issued, true)
  assert.deepEqual(idsOf(await phones({ acs_credential_id: newChildId }), 'device_id'), [day.phoneC.device_id])
  const programmed = onAcs(await heldOnAcs(), newChildId)
  assert.equal(programmed.device_id, day.phoneC.device_id)
  assert.equal(programmed.times_programmed, 1)
  assert.equal(onAcs(await heldOnAcs(), day.lostChild.acs_credential_id).is_held, false, 'the lost child stays removed')
  day.children.push(child)
  day.childOn.set(day.phoneC.device_id, child)
  assert.deepEqual(credentialIds(await credentials({ user_identity_id: day.identity.user_identity_id })),
    credentialIds([day.parent, ...day.children]))
})

test('evening: userIdentities.delete is refused while credentials and phones depend on her', async () => {
  const refused = await apiError(() => seam.userIdentities.delete({ user_identity_id: day.identity.user_identity_id }),
    'user_identity_in_use', 409)
  for (const phone of [day.phoneB, day.phoneC]) {
    assert.ok(refused.message.includes(phone.device_id), `the refusal names the active phone ${phone.device_id}: ${refused.message}`)
  }
  assert.ok(!refused.message.includes(day.phoneA.device_id), `the deactivated phone is not named: ${refused.message}`)
  checked('user_identity', await seam.userIdentities.get({ user_identity_id: day.identity.user_identity_id }), 'still there')
})

test('clean-up: delete the credentials (children go with the parent, also from the ACS)', async () => {
  const ids = credentialIds([day.parent, ...day.children])
  const called = performance.now()
  await seam.acs.credentials.delete({ acs_credential_id: day.parent.acs_credential_id })
  const answered = performance.now()
  // The parent's deletion takes its children with it: every view shows that at once.
  assert.deepEqual(await credentials({ user_identity_id: day.identity.user_identity_id }), [])
  for (const child of day.children) {
    assert.deepEqual(await phones({ acs_credential_id: child.acs_credential_id }), [],
      `phones.list({acs_credential_id}) of the deleted child ${child.acs_credential_id}`)
  }
  // Removing them from the ACS is asynchronous in Seam: watched.
  const timings = await watchViews({
    'sandbox ACS holds none of them': {
      probe: heldOnAcs,
      done: (held) => ids.every((id) => onAcs(held, id) === undefined || onAcs(held, id).is_held === false),
    },
  }, { since: answered, timeoutMs: PROPAGATION_MS })
  printTimings(`the parent's deletion (acs.credentials.delete answered in ${Math.round(answered - called)} ms), after it answered`,
    timings)
  for (const id of ids) {
    await apiError(() => seam.acs.credentials.get({ acs_credential_id: id }), 'acs_credential_not_found', 404)
  }
  assert.deepEqual(await credentials(), [])
  for (const child of day.children) {
    assert.equal(onAcs(await heldOnAcs(), child.acs_credential_id).times_removed, 1, 'each child removed from the ACS once')
  }
})

test('clean-up: revoke the device access', async () => {
  for (const door of day.doors) {
    await seam.userIdentities.revokeAccessToDevice({ user_identity_id: day.identity.user_identity_id, device_id: door.device_id })
  }
  const response = await seam.userIdentities.listAccessibleDevices({ user_identity_id: day.identity.user_identity_id }).fetchResponse()
  assert.deepEqual(response.devices, [])
  assert.deepEqual(response.accessible_devices, [])
  // The doors themselves are untouched.
  for (const door of day.doors) {
    checked('device', await seam.devices.get({ device_id: door.device_id }), `devices.get ${door.display_name}`)
  }
})

test('clean-up: remove the ACS user from her and delete it', async () => {
  await seam.userIdentities.removeAcsUser({ user_identity_id: day.identity.user_identity_id, acs_user_id: day.acsUser.acs_user_id })
  assert.deepEqual(await seam.userIdentities.listAcsUsers({ user_identity_id: day.identity.user_identity_id }), [])
  assert.deepEqual(await seam.userIdentities.listAcsSystems({ user_identity_id: day.identity.user_identity_id }), [])
  const identity = checked('user_identity', await seam.userIdentities.get({ user_identity_id: day.identity.user_identity_id }),
    'userIdentities.get after removeAcsUser')
  assert.deepEqual(identity.acs_user_ids, [])
  const unlinked = checked('acs_user', await seam.acs.users.get({ acs_user_id: day.acsUser.acs_user_id }), 'acs.users.get after the unlink')
  assert.equal(unlinked.user_identity_id, undefined, 'credential-service shows the unlink at once')

  await seam.acs.users.delete({ acs_user_id: day.acsUser.acs_user_id })
  await apiError(() => seam.acs.users.get({ acs_user_id: day.acsUser.acs_user_id }), 'acs_user_not_found', 404)
  assert.deepEqual(await listed(seam.acs.users.list(), 'acs_users', 'acs_user', 'acs.users.list'), [])
})

test('clean-up: still refused while her phones are active; deactivate them; then userIdentities.delete succeeds', async () => {
  // identity-service knows at once what credential-service deleted: only the phones remain.
  const refusal = await apiError(() => seam.userIdentities.delete({ user_identity_id: day.identity.user_identity_id }),
    'user_identity_in_use', 409)
  for (const id of [day.parent, ...day.children].map((c) => c.acs_credential_id)) {
    assert.ok(!refusal.message.includes(id), `the refusal does not name the deleted credential ${id}: ${refusal.message}`)
  }
  assert.ok(refusal.message.includes(day.phoneB.device_id) && refusal.message.includes(day.phoneC.device_id), refusal.message)

  for (const phone of [day.phoneB, day.phoneC]) {
    await seam.phones.deactivate({ device_id: phone.device_id })
    await apiError(() => seam.phones.get({ device_id: phone.device_id }), 'phone_not_found', 404)
  }
  assert.deepEqual(await phones({ owner_user_identity_id: day.identity.user_identity_id }), [])
  assert.deepEqual(await phones(), [])

  // identity-service knows at once that the phones were deactivated.
  try {
    assert.equal(await seam.userIdentities.delete({ user_identity_id: day.identity.user_identity_id }), undefined)
  } catch (error) {
    if (error instanceof SeamHttpApiError) {
      assert.fail(`userIdentities.delete right after the last phones.deactivate answered ${error.statusCode} ${error.code}: ${error.message}`)
    }
    throw error
  }
  await apiError(() => seam.userIdentities.get({ user_identity_id: day.identity.user_identity_id }), 'user_identity_not_found', 404)
  await apiError(() => seam.userIdentities.delete({ user_identity_id: day.identity.user_identity_id }), 'user_identity_not_found', 404)
  const left = await listed(seam.userIdentities.list(), 'user_identities', 'user_identity', 'userIdentities.list')
  assert.ok(!left.some((i) => i.user_identity_id === day.identity.user_identity_id), 'the identity is out of the list')
  await apiError(() => seam.userIdentities.get({ user_identity_key: day.identity.user_identity_key }), 'user_identity_not_found', 404)
})
