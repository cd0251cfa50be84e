// Validates response objects against the component schemas of Seam's OpenAPI document
// (seam-openapi-subset.json, a copy of the reference kept beside this suite).
//
// OpenAPI 3.0 schemas are not quite JSON Schema; before compiling them with Ajv this turns
//   - `nullable: true` into a type union with "null" (or an anyOf with {type: "null"}),
//   - a boolean `exclusiveMinimum`/`exclusiveMaximum` into the draft-07 numeric form,
// and drops what only OpenAPI tooling reads: `x-*` vendor keys and `discriminator`.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

import Ajv from 'ajv'
import addFormats from 'ajv-formats'

const document = JSON.parse(readFileSync(new URL('../seam-openapi-subset.json', import.meta.url), 'utf8'))

/** Keys whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs'])
/** Keys whose value is a schema. */
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'propertyNames', 'contains', 'if', 'then', 'else'])
/** Keys whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf'])

export function toJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toJsonSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const out = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || key === 'discriminator' || key === 'nullable') continue
    if (SCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]))
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = toJsonSchema(value)
    } else if (SCHEMA_LISTS.has(key)) {
      out[key] = value.map(toJsonSchema)
    } else {
      out[key] = value
    }
  }
  for (const [bound, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[bound] === 'boolean') {
      if (out[bound] && typeof out[limit] === 'number') out[bound] = out[limit]
      else delete out[bound]
      if (typeof out[bound] === 'number') delete out[limit]
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    } else if (Array.isArray(out.type)) {
      if (!out.type.includes('null')) out.type = [...out.type, 'null']
    } else if (out.oneOf || out.anyOf || out.allOf || out.$ref || out.enum) {
      // A schema without a type of its own: null or whatever it describes.
      const { description, deprecated, ...rest } = out
      return { ...(description ? { description } : {}), ...(deprecated ? { deprecated } : {}), anyOf: [rest, { type: 'null' }] }
    }
    // No constraint at all: null is allowed already.
  }
  return out
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false })
addFormats(ajv)
// OpenAPI's numeric formats carry no constraint JSON Schema can check.
for (const format of ['float', 'double', 'int32', 'int64']) {
  ajv.addFormat(format, { type: 'number', validate: () => true })
}

const components = document.components.schemas
const validators = new Map()

function validatorOf(name) {
  if (!validators.has(name)) {
    assert.ok(components[name], `no component schema "${name}" in seam-openapi-subset.json`)
    validators.set(name, ajv.compile(toJsonSchema(components[name])))
  }
  return validators.get(name)
}

/** Asserts that `value` matches Seam's `components.schemas[name]`; returns it. */
export function assertMatchesSchema(name, value, context = name) {
  const validate = validatorOf(name)
  if (!validate(value)) {
    const problems = validate.errors
      .map((e) => `  ${e.instancePath || '(root)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`)
      .join('\n')
    assert.fail(`${context} does not match Seam's "${name}" schema:\n${problems}\nvalue: ${JSON.stringify(value, null, 2)}`)
  }
  return value
}

/** The names of every component schema, for a test that they all compile. */
export const componentNames = Object.keys(components)
export { validatorOf }
