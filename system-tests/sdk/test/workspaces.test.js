// /workspaces/get and /workspaces/list through the official SDK.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { UUID, seamClient } from '../lib/env.js'
import { assertMatchesSchema, componentNames, validatorOf } from '../lib/schemas.js'

const seam = seamClient()

test('every component schema of the Seam OpenAPI subset compiles', () => {
  for (const name of componentNames) validatorOf(name)
  assert.ok(componentNames.includes('phone') && componentNames.includes('workspace'))
})

test('workspaces.get returns the API key\'s sandbox workspace', async () => {
  const workspace = await seam.workspaces.get()
  assertMatchesSchema('workspace', workspace, 'workspaces.get')
  assert.match(workspace.workspace_id, UUID)
  assert.equal(workspace.is_sandbox, true)
  assert.equal(workspace.is_suspended, false)
  assert.equal(typeof workspace.name, 'string')
})

test('workspaces.list returns the API key\'s workspace, and only it', async () => {
  const workspace = await seam.workspaces.get()
  const workspaces = await seam.workspaces.list()
  assert.ok(Array.isArray(workspaces))
  workspaces.forEach((w, i) => assertMatchesSchema('workspace', w, `workspaces.list[${i}]`))
  assert.deepEqual(workspaces, [workspace])
})
