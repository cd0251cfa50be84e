// Every /devices endpoint through the official SDK: the platform's sandbox workspace has Seam's
// sandbox devices; a fresh sandbox workspace (admin API) is read, filtered, paged, updated and
// simulated on, so the suite can run again on the same platform.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError } from '@seamapi/http'

import { TIMESTAMP, createSandboxWorkspace, randomUUID, rejection, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const SANDBOX_DEVICE_TYPES = ['august_lock', 'ecobee_thermostat', 'schlage_lock', 'yale_lock']

let sandbox
let seam
let byType

function assertDevice(device, context) {
  assertMatchesSchema('device', device, context)
  assert.equal(device.workspace_id, sandbox.workspace.workspace_id, `${context}: workspace_id`)
  assert.match(device.created_at, TIMESTAMP, `${context}: created_at is ISO-8601 UTC with milliseconds`)
  return device
}

const ids = (devices) => devices.map((device) => device.device_id)
const sorted = (values) => [...values].sort()

test('the platform\'s sandbox workspace has Seam\'s sandbox locks and thermostat', async () => {
  const devices = await seamClient().devices.list()
  devices.forEach((device, i) => assertMatchesSchema('device', device, `sandbox devices.list[${i}]`))
  for (const type of SANDBOX_DEVICE_TYPES) {
    assert.ok(devices.some((device) => device.device_type === type), `the sandbox workspace has a ${type}`)
  }
})

test('setup: a fresh sandbox workspace', async () => {
  sandbox = await createSandboxWorkspace()
  seam = sandbox.seam
  assertMatchesSchema('connected_account', sandbox.provisioned.connected_account, 'provisioned connected_account')
  byType = Object.fromEntries(sandbox.provisioned.devices.map((device) => [device.device_type, device]))
  assert.deepEqual(sorted(Object.keys(byType)), SANDBOX_DEVICE_TYPES)
})

test('devices.list returns every device, newest first, each a Seam device', async () => {
  const devices = await seam.devices.list()
  devices.forEach((device, i) => assertDevice(device, `devices.list[${i}]`))
  assert.deepEqual(sorted(ids(devices)), sorted(ids(sandbox.provisioned.devices)))
  const created = devices.map((device) => device.created_at)
  assert.deepEqual(created, [...created].sort().reverse(), 'newest first')

  const lock = byType.august_lock
  assert.deepEqual(lock.capabilities_supported, ['access_code', 'lock', 'battery'])
  assert.equal(lock.properties.online, true)
  assert.equal(typeof lock.properties.locked, 'boolean')
  assert.equal(lock.properties.battery.status, 'good')
  assert.equal(lock.can_remotely_unlock, true)
  const thermostat = byType.ecobee_thermostat
  assert.deepEqual(thermostat.capabilities_supported, ['thermostat'])
  assert.equal(typeof thermostat.properties.temperature_fahrenheit, 'number')
  assert.equal(thermostat.properties.current_climate_setting.hvac_mode_setting, 'heat_cool')
})

test('devices.get finds a device by device_id and by name', async () => {
  const lock = byType.schlage_lock
  const byId = assertDevice(await seam.devices.get({ device_id: lock.device_id }), 'devices.get (device_id)')
  assert.deepEqual(byId, lock)
  assert.deepEqual(await seam.devices.get({ name: lock.display_name }), lock)
})

test('devices.list filters as Seam does', async () => {
  const { august_lock: august, schlage_lock: schlage, yale_lock: yale, ecobee_thermostat: ecobee } = byType
  const list = async (params) => ids(await seam.devices.list(params))
  assert.deepEqual(await list({ device_type: 'yale_lock' }), [yale.device_id])
  assert.deepEqual(sorted(await list({ device_types: ['august_lock', 'schlage_lock'] })), sorted([august.device_id, schlage.device_id]))
  assert.deepEqual(await list({ manufacturer: 'ecobee' }), [ecobee.device_id])
  assert.equal((await list({ connected_account_id: sandbox.provisioned.connected_account.connected_account_id })).length, 4)
  assert.deepEqual(await list({ connected_account_id: randomUUID() }), [])
  assert.deepEqual(sorted(await list({ device_ids: [august.device_id, ecobee.device_id] })), sorted([august.device_id, ecobee.device_id]))
  assert.deepEqual(await list({ include_if: ['can_hvac_heat'] }), [ecobee.device_id])
  assert.deepEqual(await list({ exclude_if: ['can_remotely_lock'] }), [ecobee.device_id])
  assert.deepEqual(await list({ search: 'Living' }), [ecobee.device_id])
  assert.deepEqual(await list({ created_before: schlage.created_at }), [august.device_id])
})

test('devices.list pages with limit and page_cursor, and the SDK\'s paginator reads every page', async () => {
  const first = await seam.devices.list({ limit: 3 }).fetchResponse()
  assert.equal(first.devices.length, 3)
  assertMatchesSchema('pagination', first.pagination, 'page 1 pagination')
  assert.equal(first.pagination.has_next_page, true)
  const second = await seam.devices.list({ limit: 3, page_cursor: first.pagination.next_page_cursor }).fetchResponse()
  assert.deepEqual(second.pagination, { has_next_page: false, next_page_cursor: null, next_page_url: null })
  assert.deepEqual(sorted(ids([...first.devices, ...second.devices])), sorted(ids(sandbox.provisioned.devices)))

  const pages = seam.createPaginator(seam.devices.list({ limit: 1 }))
  const all = await pages.flattenToArray()
  assert.deepEqual(ids(all), ids(await seam.devices.list()))
})

test('devices.update renames and sets custom metadata; custom_metadata_has finds it', async () => {
  const yale = byType.yale_lock
  assert.equal(await seam.devices.update({ device_id: yale.device_id, name: 'Garage', custom_metadata: { unit: '4B', vip: true } }), undefined)
  const renamed = assertDevice(await seam.devices.get({ device_id: yale.device_id }), 'updated device')
  assert.equal(renamed.display_name, 'Garage')
  assert.equal(renamed.nickname, 'Garage')
  assert.deepEqual(renamed.custom_metadata, { unit: '4B', vip: true })
  assert.deepEqual(ids(await seam.devices.list({ custom_metadata_has: { unit: '4B' } })), [yale.device_id])

  await seam.devices.update({ device_id: yale.device_id, name: null, custom_metadata: { vip: null } })
  const reset = await seam.devices.get({ device_id: yale.device_id })
  assert.equal(reset.display_name, yale.display_name)
  assert.equal(reset.nickname, undefined)
  assert.deepEqual(reset.custom_metadata, { unit: '4B' })
})

test('devices.listDeviceProviders lists the brands Lockstep connects, by category too', async () => {
  const providers = await seam.devices.listDeviceProviders()
  providers.forEach((provider, i) => assertMatchesSchema('device_provider', provider, `device_providers[${i}]`))
  for (const name of ['august', 'schlage', 'yale', 'ecobee']) {
    assert.ok(providers.some((provider) => provider.device_provider_name === name), `provider ${name}`)
  }
  const thermostats = await seam.devices.listDeviceProviders({ provider_category: 'thermostats' })
  assert.deepEqual(thermostats.map((provider) => provider.device_provider_name), ['ecobee'])
})

test('devices.simulate.disconnect and .connect take a device offline and back', async () => {
  const lock = byType.schlage_lock
  await seam.devices.simulate.disconnect({ device_id: lock.device_id })
  const offline = assertDevice(await seam.devices.get({ device_id: lock.device_id }), 'disconnected device')
  assert.equal(offline.properties.online, false)
  assert.deepEqual(offline.errors.map((error) => error.error_code), ['device_disconnected'])

  await seam.devices.simulate.connect({ device_id: lock.device_id })
  const online = assertDevice(await seam.devices.get({ device_id: lock.device_id }), 'reconnected device')
  assert.equal(online.properties.online, true)
  assert.deepEqual(online.errors, [])
})

test('devices.simulate.remove removes the device: device_not_found afterwards', async () => {
  const thermostat = byType.ecobee_thermostat
  await seam.devices.simulate.remove({ device_id: thermostat.device_id })
  const error = await rejection(() => seam.devices.get({ device_id: thermostat.device_id }), SeamHttpApiError)
  assert.equal(error.code, 'device_not_found')
  assert.equal(error.statusCode, 404)
  assert.ok(!ids(await seam.devices.list()).includes(thermostat.device_id))
})

test('bad input and unknown devices are Seam errors the SDK understands', async () => {
  const invalid = await rejection(() => seam.devices.get({ device_id: 'not-a-uuid' }), SeamHttpInvalidInputError)
  assert.ok(invalid.getValidationErrorMessages('device_id').length > 0)
  const badType = await rejection(() => seam.devices.list({ device_type: 'time_machine' }), SeamHttpInvalidInputError)
  assert.ok(badType.getValidationErrorMessages('device_type').length > 0)
  const unknown = await rejection(() => seam.devices.update({ device_id: randomUUID(), name: 'x' }), SeamHttpApiError)
  assert.equal(unknown.code, 'device_not_found')
  const simulate = await rejection(() => seam.devices.simulate.connect({ device_id: randomUUID() }), SeamHttpApiError)
  assert.equal(simulate.code, 'device_not_found')
})

test('another workspace cannot see or change these devices', async () => {
  const other = seamClient()
  const lock = byType.august_lock
  const error = await rejection(() => other.devices.get({ device_id: lock.device_id }), SeamHttpApiError)
  assert.equal(error.code, 'device_not_found')
  assert.ok(!ids(await other.devices.list()).includes(lock.device_id))
})
