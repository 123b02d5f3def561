import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type PothosOutputFieldConfig,
  type PothosTypeConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { forbidden } from '../errors.js';
import { AccessControl } from './access-control.js';
import { checkIdArguments } from '../ids.js';
import { MutationError, ValidationError } from '../mutation-errors.js';
import type { DataClass } from './identity.js';
import type { WriteAction } from './write-policy.js';

// Pothos plugins extend its option types by merging into this global namespace, with the exact
// type-parameter lists of the originals (hence the unused ones).
/* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars */
declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      dataClass: DataClassPlugin<Types>;
    }

    export interface FieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      ParentShape = unknown,
      Type extends TypeParam<Types> = TypeParam<Types>,
      Nullable extends FieldNullability<Type> = FieldNullability<Type>,
      Args extends InputFieldMap = InputFieldMap,
      ResolveShape = unknown,
      ResolveReturnShape = unknown,
    > {
      /** What this field reveals. Required on every field (a schema test checks); a field without one answers FORBIDDEN. */
      dataClass?: DataClass;
      /** When true for a row, the field is `sensitive_clinical` instead (behavioural-health notes, for example). */
      sensitiveWhen?: (parent: ParentShape) => boolean;
      /**
       * On a mutation: the write-policy action it makes (write-policy.ts). Required on every mutation
       * (a schema test checks; a mutation without one answers FORBIDDEN). Its service decides with
       * `authorizeChange(ctx, action, patientId)`; a mutation that answers success without that
       * decision fails instead.
       */
      writes?: WriteAction;
    }

    export interface ObjectTypeOptions<Types extends SchemaTypes = SchemaTypes, Shape = unknown> extends BaseTypeOptions<Types> {
      /** The patient a row of this type belongs to: row-level checks and the audit trail key on it. */
      patientOf?: (parent: Shape) => string | null;
    }
  }
}
/* eslint-enable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars */

/** The data class a field declared, as stored in the built schema's field extensions. */
export interface DataClassExtension {
  readonly dataClass: DataClass;
  readonly mayBeSensitive: boolean;
}

/**
 * On an object type's extensions in the built schema: `true` when the type declared `patientOf` (its
 * rows are a patient's; a schema test requires it of every type with a field of a patient's data).
 */
export const PATIENT_OF_EXTENSION = 'patientOf';

/** The write-policy action a mutation declared, as stored in its field's extensions. */
export interface WritesExtension {
  readonly action: WriteAction;
}

const pluginName = 'dataClass';

function accessOf(context: unknown): AccessControl {
  const access = (context as { access?: unknown } | null)?.access;
  // No access control on the context means the request was never authenticated: fail closed.
  if (!(access instanceof AccessControl)) throw forbidden('Request has no verified identity');
  return access;
}

/** Federation's own fields (`_entities`, `_service`, `_Service.sdl`) carry no domain data. */
function isFederationInternal(fieldConfig: PothosOutputFieldConfig<SchemaTypes>): boolean {
  return fieldConfig.name.startsWith('_') || fieldConfig.parentType.startsWith('_');
}

/**
 * Enforces data classes field by field: before a field resolves, the row must be reachable by the
 * caller (when its type names its patient) and the field's class granted; otherwise the field is
 * null with `FORBIDDEN` at its path and the rest of the query answers. What was shown or refused is
 * recorded on the request's {@link AccessControl} for the audit trail.
 */
export class DataClassPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    if (typeConfig.kind !== 'Object' || !typeConfig.pothosOptions.patientOf) return typeConfig;
    return { ...typeConfig, extensions: { ...typeConfig.extensions, [PATIENT_OF_EXTENSION]: true } };
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const { dataClass, sensitiveWhen, writes } = fieldConfig.pothosOptions;
    const extensions: Record<string, unknown> = { ...fieldConfig.extensions };
    if (dataClass) extensions['dataClass'] = { dataClass, mayBeSensitive: sensitiveWhen !== undefined } satisfies DataClassExtension;
    if (writes) extensions['writes'] = { action: writes } satisfies WritesExtension;
    return { ...fieldConfig, extensions };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const { dataClass, sensitiveWhen } = fieldConfig.pothosOptions as {
      dataClass?: DataClass;
      sensitiveWhen?: (parent: unknown) => boolean;
    };
    const fieldName = `${fieldConfig.parentType}.${fieldConfig.name}`;
    if (fieldConfig.parentType === 'Mutation') resolver = this.wrapMutation(resolver, fieldConfig, fieldName);
    if (!dataClass) {
      if (isFederationInternal(fieldConfig as unknown as PothosOutputFieldConfig<SchemaTypes>)) return resolver;
      return () => {
        throw forbidden(`${fieldName} declares no data class`);
      };
    }
    const typeOptions = this.buildCache.getTypeConfig(fieldConfig.parentType).pothosOptions as {
      patientOf?: (parent: unknown) => string | null;
    };
    const patientOf = typeOptions.patientOf;
    return (parent, args, context, info) => {
      const access = accessOf(context);
      const patientId = patientOf ? patientOf(parent) : null;
      const effective: DataClass = sensitiveWhen?.(parent) ? 'sensitive_clinical' : dataClass;
      if (patientId !== null) access.assertCanReachPatient(patientId);
      if (!access.allowsFor(effective, patientId)) {
        access.recordDenied(patientId ?? '', effective);
        throw forbidden(
          effective === 'sensitive_clinical' && access.identity.role === 'clinician'
            ? `${fieldName} is restricted: state a reason in X-Break-Glass-Reason to open it`
            : `${fieldName} is not available to your role for ${access.identity.purpose}`,
        );
      }
      if (patientId !== null) access.recordAccess(patientId, effective);
      return resolver(parent, args, context, info);
    };
  }

  /**
   * A mutation runs only for the write-policy action it declares, and answers success only when its
   * service asked the write policy for that action (`authorizeChange`); otherwise it fails. Its `ID`
   * arguments are checked (a `ValidationError` naming the first that is not a UUID) and lower-cased
   * before its resolver runs.
   */
  private wrapMutation(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
    fieldName: string,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const { writes } = fieldConfig.pothosOptions as { writes?: WriteAction };
    if (!writes) {
      return () => {
        throw forbidden(`${fieldName} declares no write action`);
      };
    }
    return async (parent, args, context, info) => {
      const invalid = checkIdArguments(args as Record<string, unknown>, info.parentType.getFields()[info.fieldName]?.args ?? []);
      if (invalid) return new ValidationError(`${invalid.name} is not a valid id`, invalid.path);
      const result: unknown = await resolver(parent, args, context, info);
      if (!(result instanceof MutationError) && !accessOf(context).actionAuthorized(writes)) {
        throw new Error(`${fieldName} answered without the write policy's decision on ${writes}`);
      }
      return result;
    };
  }
}

SchemaBuilder.registerPlugin(pluginName, DataClassPlugin);

export default pluginName;
