// The project's data model and its indexes, read from the files that declare them
// (Prisma schema, TypeORM entities, Mongoose schemas, Sequelize models, SQL migrations), for the rules
// that reason about queries (unindexed-query, N+1, unbounded queries). Everything is
// read through ProjectFacts or the program, and parsed once per file text.
//
// Typical use: `prismaModelCall(ctx, call, methods)` / `typeormEntityCall(…)` / `sequelizeModelOf(…)` /
// `schemaOfModel(…)` + `mongooseModel(…)` say which model a call queries; the
// ModelInfo's `indexes` (plus `migrationIndexesFor(model, sqlSchemaFor(ctx, file))`)
// say what the database can look up; `isLeadingIndexed(model, field)` answers.
export * from './model';
export { prismaSchemaFor, prismaSchemaFiles, sqlSchemaFor, migrationFiles, packageDirOf } from './project';
export { delegateName, type PrismaModel, type PrismaSchema } from './prisma';
export { prismaModelCall, isPrismaClient, type PrismaModelCall } from './prisma-client';
export { entityModel, typeormEntityCall, snakeCase, type EntityModel, type TypeormEntityCall } from './typeorm';
export { mongooseModel, schemaOfModel, type MongooseModel } from './mongoose';
export { migrationIndexesFor, tableModel, type SqlSchema, type SqlTable } from './sql-schema';
export { sequelizeModelOf, type SequelizeModel } from './sequelize';
