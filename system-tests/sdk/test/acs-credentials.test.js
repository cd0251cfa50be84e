// Every acs.credentials.* call through the official SDK, on a fresh sandbox workspace (so lists can
// be compared exactly): create (PIN code, card, mobile key, multi-phone sync; by ACS user or by
// user identity; with a schedule), get, list (each filter combination Seam allows, the paginator),
// update, assign, unassign, delete; then the new-phone and lost-phone flows with sandbox phones,
// and the errors the SDK must understand.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError } from '@seamapi/http'

import { TIMESTAMP, UUID, randomUUID, rejection, seamClient } from '../lib/env.js'
import { ASYNC_EFFECT_BOUND_MS, apiError, createAcsSandbox, eventually, idsOf } from '../lib/acs.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const marker = `acsc-${randomUUID().slice(0, 8)}`
/**
 * phones.deactivate revokes the lost phone's mobile keys asynchronously, as Seam does; the suite has
 * always required it within a second (bench/: p99 15.4 ms at 100 phones/s).
 */
const REVOCATION_BOUND_MS = 1_000
let sandbox
let seam
let system
let ann // user identity with an ACS user
let annUser
let ben // user identity with an ACS user
let benUser
let cat // user identity without an ACS user
const created = {} // name -> acs_credential, as create returned it

function assertCredential(credential, context) {
  assertMatchesSchema('acs_credential', credential, context)
  assert.equal(credential.workspace_id, sandbox.workspace.workspace_id, `${context}: workspace_id`)
  assert.equal(credential.acs_system_id, system.acs_system_id, `${context}: acs_system_id`)
  assert.equal(credential.connected_account_id, system.connected_account_id, `${context}: connected_account_id`)
  assert.match(credential.acs_credential_id, UUID, `${context}: acs_credential_id`)
  assert.match(credential.created_at, TIMESTAMP, `${context}: created_at is ISO-8601 UTC with milliseconds`)
  assert.equal(credential.is_managed, true, `${context}: is_managed`)
  assert.deepEqual(credential.errors, [], `${context}: errors`)
  assert.deepEqual(credential.warnings, [], `${context}: warnings`)
  return credential
}

const credentialIds = (credentials) => idsOf(credentials, 'acs_credential_id')
const ofAnn = () => ['annCode', 'annGeneratedCode', 'annMobileKey', 'annMultiPhone'].map((name) => created[name])

async function newAcsUserOf(identity, fullName) {
  const user = await seam.acs.users.create({
    acs_system_id: system.acs_system_id, user_identity_id: identity.user_identity_id, full_name: fullName,
  })
  assertMatchesSchema('acs_user', user, `acs.users.create (${fullName})`)
  return user
}

test('setup: a fresh sandbox workspace, three user identities, two of them with an ACS user', async () => {
  sandbox = await createAcsSandbox()
  seam = sandbox.seam
  system = sandbox.acsSystem
  ann = await seam.userIdentities.create({ full_name: `Ann ${marker}`, email_address: `${marker}-ann@example.com` })
  ben = await seam.userIdentities.create({ full_name: `Ben ${marker}` })
  cat = await seam.userIdentities.create({ full_name: `Cat ${marker}` })
  annUser = await newAcsUserOf(ann, `Ann ${marker}`)
  benUser = await newAcsUserOf(ben, `Ben ${marker}`)
})

test('acs.credentials.create: a PIN code with a schedule, for an ACS user', async () => {
  const startsAt = new Date(Date.now() - 3_600_000).toISOString()
  const endsAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
  const credential = await seam.acs.credentials.create({
    acs_user_id: annUser.acs_user_id, access_method: 'code', code: '123456', starts_at: startsAt, ends_at: endsAt,
  })
  assertCredential(credential, 'create code')
  assert.equal(credential.access_method, 'code')
  assert.equal(credential.code, '123456')
  assert.equal(credential.acs_user_id, annUser.acs_user_id)
  assert.equal(credential.user_identity_id, ann.user_identity_id)
  assert.equal(credential.starts_at, startsAt)
  assert.equal(credential.ends_at, endsAt)
  assert.equal(credential.is_multi_phone_sync_credential, false)
  assert.equal(credential.parent_acs_credential_id, undefined)
  assert.ok(credential.display_name.length > 0)
  created.annCode = credential
})

test('acs.credentials.create: a PIN code without a code gets one', async () => {
  const credential = assertCredential(await seam.acs.credentials.create({ acs_user_id: annUser.acs_user_id, access_method: 'code' }),
    'create code without code')
  assert.match(credential.code, /^\d{4,9}$/)
  assert.equal(credential.starts_at, undefined)
  created.annGeneratedCode = credential
})

test('acs.credentials.create: a card and a PIN code for another ACS user', async () => {
  const card = assertCredential(await seam.acs.credentials.create({ acs_user_id: benUser.acs_user_id, access_method: 'card' }), 'create card')
  assert.equal(card.access_method, 'card')
  assert.equal(card.code, null)
  assert.equal(card.acs_user_id, benUser.acs_user_id)
  assert.equal(card.user_identity_id, ben.user_identity_id)
  created.benCard = card
  created.benCode = assertCredential(await seam.acs.credentials.create({
    acs_user_id: benUser.acs_user_id, access_method: 'code', code: '777111',
  }), 'create code (ben)')
})

test('acs.credentials.create: a mobile key, and a multi-phone sync mobile key named by user identity and system', async () => {
  const mobileKey = assertCredential(await seam.acs.credentials.create({ acs_user_id: annUser.acs_user_id, access_method: 'mobile_key' }),
    'create mobile_key')
  assert.equal(mobileKey.access_method, 'mobile_key')
  assert.equal(mobileKey.is_multi_phone_sync_credential, false)
  created.annMobileKey = mobileKey

  const endsAt = new Date(Date.now() + 86_400_000).toISOString()
  const multiPhone = assertCredential(await seam.acs.credentials.create({
    user_identity_id: ann.user_identity_id,
    acs_system_id: system.acs_system_id,
    access_method: 'mobile_key',
    is_multi_phone_sync_credential: true,
    ends_at: endsAt,
  }), 'create multi-phone sync')
  assert.equal(multiPhone.is_multi_phone_sync_credential, true)
  assert.equal(multiPhone.acs_user_id, annUser.acs_user_id, 'the identity\'s ACS user on the system holds it')
  assert.equal(multiPhone.user_identity_id, ann.user_identity_id)
  assert.equal(multiPhone.ends_at, endsAt)
  created.annMultiPhone = multiPhone
})

test('acs.credentials.create for a user identity without an ACS user on the system creates its ACS user, as Seam does', async () => {
  const credential = await seam.acs.credentials.create({
    user_identity_id: cat.user_identity_id, acs_system_id: system.acs_system_id, access_method: 'code', code: '24680',
  })
  assertCredential(credential, 'create for identity')
  assert.equal(credential.user_identity_id, cat.user_identity_id)
  assert.match(credential.acs_user_id ?? '', UUID, 'the credential belongs to the ACS user created for the identity')
  const catUser = await seam.acs.users.get({ acs_user_id: credential.acs_user_id })
  assertMatchesSchema('acs_user', catUser, 'the ACS user created for the identity')
  assert.equal(catUser.acs_system_id, system.acs_system_id)
  assert.equal(catUser.user_identity_id, cat.user_identity_id)
  assert.equal(catUser.full_name, cat.full_name, 'named after the identity')
  assert.deepEqual(idsOf(await seam.acs.users.list({ user_identity_id: cat.user_identity_id }), 'acs_user_id'), [catUser.acs_user_id])
  // identity-service links it at once.
  assert.deepEqual(idsOf(await seam.userIdentities.listAcsUsers({ user_identity_id: cat.user_identity_id }), 'acs_user_id'),
    [catUser.acs_user_id])
  // A second credential goes to the same ACS user.
  const second = await seam.acs.credentials.create({
    user_identity_id: cat.user_identity_id, acs_system_id: system.acs_system_id, access_method: 'card',
  })
  assert.equal(second.acs_user_id, catUser.acs_user_id)
  await seam.acs.credentials.delete({ acs_credential_id: second.acs_credential_id })
  created.catCode = credential
})

test('acs.credentials.get returns each credential as it was created', async () => {
  for (const [name, credential] of Object.entries(created)) {
    const got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: credential.acs_credential_id }), `get ${name}`)
    assert.deepEqual(got, credential, name)
  }
})

test('acs.credentials.list: no filter, acs_user_id, acs_system_id, both, user_identity_id', async () => {
  const all = await seam.acs.credentials.list()
  all.forEach((credential, i) => assertCredential(credential, `list()[${i}]`))
  assert.deepEqual(credentialIds(all), credentialIds(Object.values(created)))
  const newestFirst = [...all].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
  assert.deepEqual(all.map((c) => c.created_at), newestFirst.map((c) => c.created_at), 'newest first')
  assert.deepEqual(all.find((c) => c.acs_credential_id === created.annCode.acs_credential_id), created.annCode)

  const byUser = await seam.acs.credentials.list({ acs_user_id: annUser.acs_user_id })
  byUser.forEach((credential, i) => assertCredential(credential, `list by acs_user_id [${i}]`))
  assert.deepEqual(credentialIds(byUser), credentialIds(ofAnn()))
  assert.deepEqual(credentialIds(await seam.acs.credentials.list({ acs_user_id: benUser.acs_user_id })),
    credentialIds([created.benCard, created.benCode]))
  assert.deepEqual(await seam.acs.credentials.list({ acs_user_id: randomUUID() }), [])

  const bySystem = await seam.acs.credentials.list({ acs_system_id: system.acs_system_id })
  bySystem.forEach((credential, i) => assertCredential(credential, `list by acs_system_id [${i}]`))
  assert.deepEqual(credentialIds(bySystem), credentialIds(all))
  assert.deepEqual(await seam.acs.credentials.list({ acs_system_id: randomUUID() }), [])

  const byBoth = await seam.acs.credentials.list({ acs_user_id: annUser.acs_user_id, acs_system_id: system.acs_system_id })
  assert.deepEqual(credentialIds(byBoth), credentialIds(ofAnn()))
  assert.deepEqual(await seam.acs.credentials.list({ acs_user_id: annUser.acs_user_id, acs_system_id: randomUUID() }), [])

  const byIdentity = await seam.acs.credentials.list({ user_identity_id: ann.user_identity_id })
  byIdentity.forEach((credential, i) => assertCredential(credential, `list by user_identity_id [${i}]`))
  assert.deepEqual(credentialIds(byIdentity), credentialIds(ofAnn()))
  assert.deepEqual(credentialIds(await seam.acs.credentials.list({ user_identity_id: cat.user_identity_id })), [created.catCode.acs_credential_id])
  assert.deepEqual(await seam.acs.credentials.list({ user_identity_id: randomUUID() }), [])
})

test('acs.credentials.list: is_multi_phone_sync_credential, search and created_before', async () => {
  const multi = await seam.acs.credentials.list({ is_multi_phone_sync_credential: true })
  assert.deepEqual(multi, [created.annMultiPhone])
  const notMulti = await seam.acs.credentials.list({ user_identity_id: ann.user_identity_id, is_multi_phone_sync_credential: false })
  assert.deepEqual(credentialIds(notMulti), credentialIds([created.annCode, created.annGeneratedCode, created.annMobileKey]))
  assert.deepEqual(credentialIds(await seam.acs.credentials.list({ search: '123456' })), [created.annCode.acs_credential_id])
  assert.deepEqual(credentialIds(await seam.acs.credentials.list({ search: created.benCard.acs_credential_id })),
    [created.benCard.acs_credential_id])
  const before = await seam.acs.credentials.list({ created_before: created.annMobileKey.created_at })
  before.forEach((c) => assert.ok(c.created_at < created.annMobileKey.created_at, `${c.created_at} < ${created.annMobileKey.created_at}`))
  assert.ok(before.some((c) => c.acs_credential_id === created.annCode.acs_credential_id), 'includes earlier credentials')
  assert.ok(!before.some((c) => c.acs_credential_id === created.annMultiPhone.acs_credential_id), 'excludes later credentials')
})

test('createPaginator(acs.credentials.list({limit: 2})) walks every page, each credential once', async () => {
  const expected = (await seam.acs.credentials.list({ acs_system_id: system.acs_system_id })).map((c) => c.acs_credential_id)
  assert.equal(expected.length, 7)
  const paginator = seam.createPaginator(seam.acs.credentials.list({ acs_system_id: system.acs_system_id, limit: 2 }))
  const pages = []
  for await (const page of paginator) {
    page.forEach((credential, i) => assertCredential(credential, `page ${pages.length + 1} [${i}]`))
    pages.push(page)
  }
  assert.deepEqual(pages.map((page) => page.length), [2, 2, 2, 1])
  assert.deepEqual(pages.flat().map((c) => c.acs_credential_id), expected)

  const flat = await seam.createPaginator(seam.acs.credentials.list({ limit: 2 })).flattenToArray()
  assert.deepEqual(flat.map((c) => c.acs_credential_id), expected)
  const [firstPage, pagination] = await paginator.firstPage()
  assert.equal(firstPage.length, 2)
  assert.equal(pagination.hasNextPage, true)
  const response = await seam.acs.credentials.list({ limit: 2 }).fetchResponse()
  assertMatchesSchema('pagination', response.pagination, 'acs.credentials.list pagination')
  assert.equal(response.pagination.next_page_cursor, pagination.nextPageCursor)
  const byIdentity = await seam.createPaginator(seam.acs.credentials.list({ user_identity_id: ann.user_identity_id, limit: 3 }))
    .flattenToArray()
  assert.deepEqual(credentialIds(byIdentity), credentialIds(ofAnn()))
})

test('acs.credentials.update (PATCH) changes the code and ends_at', async () => {
  const credential = created.annCode
  const endsAt = new Date(Date.now() + 14 * 86_400_000).toISOString()
  assert.equal(await seam.acs.credentials.update({ acs_credential_id: credential.acs_credential_id, code: '654321' }), undefined)
  let got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: credential.acs_credential_id }), 'get after code update')
  assert.equal(got.code, '654321')
  assert.equal(got.ends_at, credential.ends_at)
  await seam.acs.credentials.update({ acs_credential_id: credential.acs_credential_id, ends_at: endsAt })
  got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: credential.acs_credential_id }), 'get after ends_at update')
  assert.equal(got.code, '654321')
  assert.equal(got.ends_at, endsAt)
  assert.equal(got.starts_at, credential.starts_at)
  created.annCode = got

  const letters = await rejection(() => seam.acs.credentials.update({ acs_credential_id: credential.acs_credential_id, code: 'abcd' }),
    SeamHttpInvalidInputError)
  assert.ok(letters.getValidationErrorMessages('code').length > 0, 'code is named')
  const onCard = await rejection(() => seam.acs.credentials.update({ acs_credential_id: created.benCard.acs_credential_id, code: '1234' }),
    SeamHttpInvalidInputError)
  assert.ok(onCard.getValidationErrorMessages('code').length > 0, 'code is named')
  const early = await rejection(() => seam.acs.credentials.update({
    acs_credential_id: credential.acs_credential_id, ends_at: new Date(Date.parse(credential.starts_at) - 1000).toISOString(),
  }), SeamHttpInvalidInputError)
  assert.ok(early.getValidationErrorMessages('ends_at').length > 0, 'ends_at is named')
  await apiError(() => seam.acs.credentials.update({ acs_credential_id: randomUUID(), code: '1234' }), 'acs_credential_not_found', 404)
})

test('acs.credentials.unassign and assign (PATCH) move a credential between ACS users', async () => {
  const card = created.benCard
  assert.equal(await seam.acs.credentials.unassign({ acs_credential_id: card.acs_credential_id, acs_user_id: benUser.acs_user_id }),
    undefined)
  let got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: card.acs_credential_id }), 'get after unassign')
  assert.equal(got.acs_user_id, undefined)
  assert.equal(got.user_identity_id, undefined)
  assert.ok(!(await seam.acs.credentials.list({ acs_user_id: benUser.acs_user_id })).some((c) => c.acs_credential_id === card.acs_credential_id))

  assert.equal(await seam.acs.credentials.assign({ acs_credential_id: card.acs_credential_id, acs_user_id: annUser.acs_user_id }),
    undefined)
  got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: card.acs_credential_id }), 'get after assign')
  assert.equal(got.acs_user_id, annUser.acs_user_id)
  assert.equal(got.user_identity_id, ann.user_identity_id)
  assert.ok((await seam.acs.credentials.list({ user_identity_id: ann.user_identity_id })).some((c) => c.acs_credential_id === card.acs_credential_id))

  // Named by user identity: its ACS user on the credential's system.
  await apiError(() => seam.acs.credentials.unassign({ acs_credential_id: card.acs_credential_id, acs_user_id: benUser.acs_user_id }),
    'credential_not_assigned_to_acs_user', 400)
  await seam.acs.credentials.unassign({ acs_credential_id: card.acs_credential_id, user_identity_id: ann.user_identity_id })
  assert.equal((await seam.acs.credentials.get({ acs_credential_id: card.acs_credential_id })).acs_user_id, undefined)
  await seam.acs.credentials.assign({ acs_credential_id: card.acs_credential_id, user_identity_id: ben.user_identity_id })
  got = assertCredential(await seam.acs.credentials.get({ acs_credential_id: card.acs_credential_id }), 'get after assign back')
  assert.equal(got.acs_user_id, benUser.acs_user_id)
  assert.equal(got.user_identity_id, ben.user_identity_id)
  assert.deepEqual(got, card, 'back as it was')

  await apiError(() => seam.acs.credentials.assign({ acs_credential_id: created.annMultiPhone.acs_credential_id, acs_user_id: benUser.acs_user_id }),
    'cannot_reassign_multi_phone_sync_credential', 400)
  await apiError(() => seam.acs.credentials.assign({ acs_credential_id: card.acs_credential_id, acs_user_id: randomUUID() }),
    'acs_user_not_found', 404)
  await apiError(() => seam.acs.credentials.assign({ acs_credential_id: randomUUID(), acs_user_id: benUser.acs_user_id }),
    'acs_credential_not_found', 404)
})

test('acs.credentials.delete (DELETE) deletes a credential; a second delete is not found', async () => {
  const code = created.benCode
  assert.equal(await seam.acs.credentials.delete({ acs_credential_id: code.acs_credential_id }), undefined)
  await apiError(() => seam.acs.credentials.get({ acs_credential_id: code.acs_credential_id }), 'acs_credential_not_found', 404)
  await apiError(() => seam.acs.credentials.delete({ acs_credential_id: code.acs_credential_id }), 'acs_credential_not_found', 404)
  assert.deepEqual(credentialIds(await seam.acs.credentials.list({ acs_user_id: benUser.acs_user_id })), [created.benCard.acs_credential_id])
  delete created.benCode
})

test('bad input through the SDK: filter combinations, malformed ids and values', async () => {
  const combination = await rejection(() => seam.acs.credentials.list({
    user_identity_id: ann.user_identity_id, acs_system_id: system.acs_system_id,
  }), SeamHttpInvalidInputError)
  assert.equal(combination.code, 'invalid_input')
  assert.equal(combination.statusCode, 400)
  assert.ok(combination.getValidationErrorMessages('user_identity_id').length > 0, 'user_identity_id is named')
  await rejection(() => seam.acs.credentials.list({ user_identity_id: ann.user_identity_id, acs_user_id: annUser.acs_user_id }),
    SeamHttpInvalidInputError)

  const id = await rejection(() => seam.acs.credentials.get({ acs_credential_id: 'nope' }), SeamHttpInvalidInputError)
  assert.ok(id.getValidationErrorMessages('acs_credential_id').length > 0, 'acs_credential_id is named')
  const method = await rejection(() => seam.acs.credentials.create({ acs_user_id: annUser.acs_user_id, access_method: 'laser' }),
    SeamHttpInvalidInputError)
  assert.ok(method.getValidationErrorMessages('access_method').length > 0, 'access_method is named')
  const codeOnCard = await rejection(() => seam.acs.credentials.create({
    acs_user_id: annUser.acs_user_id, access_method: 'card', code: '1234',
  }), SeamHttpInvalidInputError)
  assert.ok(codeOnCard.getValidationErrorMessages('code').length > 0, 'code is named')
  const badCode = await rejection(() => seam.acs.credentials.create({
    acs_user_id: annUser.acs_user_id, access_method: 'code', code: '12',
  }), SeamHttpInvalidInputError)
  assert.ok(badCode.getValidationErrorMessages('code').length > 0, 'code is named')
  const multiCode = await rejection(() => seam.acs.credentials.create({
    acs_user_id: annUser.acs_user_id, access_method: 'code', is_multi_phone_sync_credential: true,
  }), SeamHttpInvalidInputError)
  assert.ok(multiCode.getValidationErrorMessages('is_multi_phone_sync_credential').length > 0, 'is_multi_phone_sync_credential is named')
  const schedule = await rejection(() => seam.acs.credentials.create({
    acs_user_id: annUser.acs_user_id, access_method: 'code', starts_at: '2030-01-02T00:00:00.000Z', ends_at: '2030-01-01T00:00:00.000Z',
  }), SeamHttpInvalidInputError)
  assert.ok(schedule.getValidationErrorMessages('ends_at').length > 0, 'ends_at is named')
  const nobody = await rejection(() => seam.acs.credentials.create({ access_method: 'card' }), SeamHttpInvalidInputError)
  assert.ok(nobody.getValidationErrorMessages('acs_user_id').length > 0, 'acs_user_id is named')
})

test('unknown ids are 404s: credentials, ACS users, user identities, ACS systems', async () => {
  await apiError(() => seam.acs.credentials.get({ acs_credential_id: randomUUID() }), 'acs_credential_not_found', 404)
  await apiError(() => seam.acs.credentials.delete({ acs_credential_id: randomUUID() }), 'acs_credential_not_found', 404)
  await apiError(() => seam.acs.credentials.unassign({ acs_credential_id: randomUUID(), acs_user_id: annUser.acs_user_id }),
    'acs_credential_not_found', 404)
  await apiError(() => seam.acs.credentials.create({ acs_user_id: randomUUID(), access_method: 'card' }), 'acs_user_not_found', 404)
  await apiError(() => seam.acs.credentials.create({
    user_identity_id: randomUUID(), acs_system_id: system.acs_system_id, access_method: 'card',
  }), 'user_identity_not_found', 404)
  await apiError(() => seam.acs.credentials.create({
    user_identity_id: cat.user_identity_id, acs_system_id: randomUUID(), access_method: 'card',
  }), 'acs_system_not_found', 404)
  const error = await rejection(() => seam.acs.credentials.get({ acs_credential_id: randomUUID() }), SeamHttpApiError)
  assert.ok(!(error instanceof SeamHttpInvalidInputError))
})

test('another workspace sees none of these credentials', async () => {
  const other = seamClient()
  await apiError(() => other.acs.credentials.get({ acs_credential_id: created.annCode.acs_credential_id }), 'acs_credential_not_found', 404)
  await apiError(() => other.acs.credentials.delete({ acs_credential_id: created.annCode.acs_credential_id }), 'acs_credential_not_found', 404)
  await apiError(() => other.acs.credentials.create({ acs_user_id: annUser.acs_user_id, access_method: 'card' }), 'acs_user_not_found', 404)
  assert.deepEqual(await other.acs.credentials.list({ acs_user_id: annUser.acs_user_id }), [])
  assert.deepEqual(await other.acs.credentials.list({ user_identity_id: ann.user_identity_id }), [])
})

// The new-phone and lost-phone flows: a multi-phone sync credential reaches each phone of its
// user identity as a child; a deactivated (lost) phone loses its child at once, the rest stays.
const flow = {}

test('phone flow: a multi-phone sync credential gets a child on each of the identity\'s two phones', async () => {
  flow.identity = await seam.userIdentities.create({ full_name: `Traveller ${marker}` })
  flow.phones = [
    await seam.phones.simulate.createSandboxPhone({ user_identity_id: flow.identity.user_identity_id }),
    await seam.phones.simulate.createSandboxPhone({
      user_identity_id: flow.identity.user_identity_id, phone_metadata: { operating_system: 'ios' },
    }),
  ]
  flow.phones.forEach((phone, i) => assertMatchesSchema('phone', phone, `createSandboxPhone [${i}]`))
  flow.acsUser = await newAcsUserOf(flow.identity, `Traveller ${marker}`)
  flow.parent = assertCredential(await seam.acs.credentials.create({
    acs_user_id: flow.acsUser.acs_user_id, access_method: 'mobile_key', is_multi_phone_sync_credential: true,
  }), 'create multi-phone sync (flow)')
  assert.equal(flow.parent.user_identity_id, flow.identity.user_identity_id)

  // A child on each phone is asynchronous in Seam: polled, within ASYNC_EFFECT_BOUND_MS.
  const { value: listed, elapsedMs } = await eventually(
    () => seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }),
    (credentials) => credentials.length >= 3,
    { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'a child of the multi-phone sync credential on each phone' },
  )
  console.log(`children on both phones listed after ${elapsedMs} ms`)
  assert.equal(listed.length, 3, 'the parent and one child per phone, no more')
  listed.forEach((credential, i) => assertCredential(credential, `list by user_identity_id (flow) [${i}]`))
  assert.deepEqual(listed.find((c) => c.acs_credential_id === flow.parent.acs_credential_id), flow.parent)
  flow.children = listed.filter((c) => c.acs_credential_id !== flow.parent.acs_credential_id)
  for (const child of flow.children) {
    assert.equal(child.parent_acs_credential_id, flow.parent.acs_credential_id)
    assert.equal(child.access_method, 'mobile_key')
    assert.equal(child.is_multi_phone_sync_credential, false)
    assert.equal(child.acs_user_id, flow.acsUser.acs_user_id)
    assert.equal(child.user_identity_id, flow.identity.user_identity_id)
    assert.equal(child.is_issued, true)
    assert.match(child.issued_at, TIMESTAMP)
  }
  const byAcsUser = await seam.acs.credentials.list({ acs_user_id: flow.acsUser.acs_user_id })
  assert.deepEqual(credentialIds(byAcsUser), credentialIds(listed))
  assert.deepEqual(await seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id, is_multi_phone_sync_credential: true }),
    [flow.parent])
  for (const child of flow.children) {
    assert.deepEqual(await seam.acs.credentials.get({ acs_credential_id: child.acs_credential_id }), child)
  }
})

test('phone flow: phones.list({acs_credential_id}) finds the phone each child was issued to', async () => {
  // acs.credentials.list has shown the children: every other endpoint shows them too, at once.
  flow.phoneOf = new Map()
  for (const child of flow.children) {
    const phones = await seam.phones.list({ acs_credential_id: child.acs_credential_id })
    phones.forEach((phone, i) => assertMatchesSchema('phone', phone, `phones.list by acs_credential_id [${i}]`))
    assert.equal(phones.length, 1, 'a child is on one phone')
    flow.phoneOf.set(child.acs_credential_id, phones[0].device_id)
  }
  assert.deepEqual([...flow.phoneOf.values()].sort(), idsOf(flow.phones, 'device_id'), 'one child on each phone')
})

test('phone flow: phones.deactivate revokes the lost phone\'s child within a second; the other child and the parent stay', async () => {
  const [lost, kept] = flow.children
  const lostPhone = flow.phoneOf.get(lost.acs_credential_id)
  const keptPhone = flow.phoneOf.get(kept.acs_credential_id)
  await seam.phones.deactivate({ device_id: lostPhone })
  // What phones.deactivate wrote itself shows at once: the phone is out of phones.list.
  assert.deepEqual(await seam.phones.list({ acs_credential_id: lost.acs_credential_id }), [])
  // The revocation of the lost phone's keys is asynchronous in Seam: polled, within REVOCATION_BOUND_MS.
  const { elapsedMs } = await eventually(
    () => seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }),
    (credentials) => !credentials.some((c) => c.acs_credential_id === lost.acs_credential_id),
    { timeoutMs: REVOCATION_BOUND_MS, intervalMs: 20, what: 'the lost phone\'s child being revoked' },
  )
  console.log(`the lost phone's child was revoked ${elapsedMs} ms after phones.deactivate returned`)
  await apiError(() => seam.acs.credentials.get({ acs_credential_id: lost.acs_credential_id }), 'acs_credential_not_found', 404)
  const remaining = await seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id })
  assert.deepEqual(credentialIds(remaining), credentialIds([flow.parent, kept]))
  assert.deepEqual(await seam.acs.credentials.get({ acs_credential_id: kept.acs_credential_id }), kept)
  assert.deepEqual(await seam.acs.credentials.get({ acs_credential_id: flow.parent.acs_credential_id }), flow.parent)

  const phones = await seam.phones.list({ acs_credential_id: kept.acs_credential_id })
  assert.deepEqual(phones.map((p) => p.device_id), [keptPhone])
  assert.deepEqual(await seam.phones.list({ acs_credential_id: lost.acs_credential_id }), [])
  flow.children = [kept]
})

test('phone flow: a new phone of the identity gets a child (phone.registered)', async () => {
  const phone = await seam.phones.simulate.createSandboxPhone({ user_identity_id: flow.identity.user_identity_id })
  // The new phone's child is asynchronous in Seam: polled, within ASYNC_EFFECT_BOUND_MS.
  const { value: listed } = await eventually(
    () => seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }),
    (credentials) => credentials.length >= 3,
    { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'phone.registered issuing a child on the new phone' },
  )
  assert.equal(listed.length, 3)
  const child = listed.find((c) => c.acs_credential_id !== flow.parent.acs_credential_id
    && !flow.children.some((k) => k.acs_credential_id === c.acs_credential_id))
  assertCredential(child, 'the new phone\'s child')
  assert.equal(child.parent_acs_credential_id, flow.parent.acs_credential_id)
  // Once acs.credentials.list shows the child, phones.list shows it too.
  const phones = await seam.phones.list({ acs_credential_id: child.acs_credential_id })
  assert.deepEqual(phones.map((p) => p.device_id), [phone.device_id])
  flow.children.push(child)
})

test('phone flow: a new ends_at of the multi-phone sync credential reaches its children', async () => {
  const endsAt = new Date(Date.now() + 3 * 86_400_000).toISOString()
  await seam.acs.credentials.update({ acs_credential_id: flow.parent.acs_credential_id, ends_at: endsAt })
  const listed = await seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id })
  listed.forEach((credential, i) => assertCredential(credential, `list after the parent's update [${i}]`))
  assert.deepEqual(credentialIds(listed), credentialIds([flow.parent, ...flow.children]))
  for (const credential of listed) assert.equal(credential.ends_at, endsAt, credential.acs_credential_id)
})

test('phone flow: removing the ACS user from the identity revokes the children; adding it back issues them again', async () => {
  const activePhones = flow.children.length
  await seam.userIdentities.removeAcsUser({ user_identity_id: flow.identity.user_identity_id, acs_user_id: flow.acsUser.acs_user_id })
  // The unlink itself shows at once: the parent follows its ACS user out of the identity.
  const parent = await seam.acs.credentials.get({ acs_credential_id: flow.parent.acs_credential_id })
  assert.equal(parent.user_identity_id, undefined, 'the parent follows its ACS user out of the identity at once')
  assert.equal((await seam.acs.users.get({ acs_user_id: flow.acsUser.acs_user_id })).user_identity_id, undefined)
  // Revoking the children (child credentials per phone) is asynchronous in Seam: polled, within ASYNC_EFFECT_BOUND_MS.
  const { value: unlinked } = await eventually(
    () => seam.acs.credentials.list({ acs_user_id: flow.acsUser.acs_user_id }),
    (credentials) => credentials.length === 1,
    { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'user_identity.acs_user_removed revoking the children' },
  )
  assert.equal(unlinked[0].acs_credential_id, flow.parent.acs_credential_id)
  assert.equal(unlinked[0].user_identity_id, undefined, 'the parent follows its ACS user out of the identity')
  assert.deepEqual(await seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }), [])

  await seam.userIdentities.addAcsUser({ user_identity_id: flow.identity.user_identity_id, acs_user_id: flow.acsUser.acs_user_id })
  assert.equal((await seam.acs.users.get({ acs_user_id: flow.acsUser.acs_user_id })).user_identity_id, flow.identity.user_identity_id,
    'the link shows at once')
  // A child on each active phone again is asynchronous in Seam: polled, within ASYNC_EFFECT_BOUND_MS.
  const { value: relinked } = await eventually(
    () => seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }),
    (credentials) => credentials.length === 1 + activePhones,
    { timeoutMs: ASYNC_EFFECT_BOUND_MS, what: 'user_identity.acs_user_added issuing a child on each active phone again' },
  )
  relinked.forEach((credential, i) => assertCredential(credential, `list after the ACS user was added back [${i}]`))
  const children = relinked.filter((c) => c.parent_acs_credential_id === flow.parent.acs_credential_id)
  assert.equal(children.length, activePhones)
  flow.children = children
})

test('phone flow: deleting the multi-phone sync credential revokes every child', async () => {
  await seam.acs.credentials.delete({ acs_credential_id: flow.parent.acs_credential_id })
  assert.deepEqual(await seam.acs.credentials.list({ acs_user_id: flow.acsUser.acs_user_id }), [])
  assert.deepEqual(await seam.acs.credentials.list({ user_identity_id: flow.identity.user_identity_id }), [])
  for (const child of flow.children) {
    await apiError(() => seam.acs.credentials.get({ acs_credential_id: child.acs_credential_id }), 'acs_credential_not_found', 404)
    // The children went with the parent's deletion, which phone-service reflects at once.
    assert.deepEqual(await seam.phones.list({ acs_credential_id: child.acs_credential_id }), [])
  }
})
