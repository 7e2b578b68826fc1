import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { ApigErrors, ApigRequestError } from './apig-errors.js';

/** The form of `POST .../openapi/import`, as the vendor documents it. */
export interface ApigImportForm {
  isCreateGroup: boolean;
  groupId?: string;
  /** Conflicts on the `x-apigateway-*` details: keep ours (merge) or take the file's (override). */
  extendMode: 'merge' | 'override';
  /** Conflicts on whole APIs (same method and path): keep ours (merge) or take the file's (override). */
  apiMode: 'merge' | 'override';
  simpleMode: boolean;
  /** APIs without a backend get a MOCK one. */
  mockMode: boolean;
  fileName: string;
  file: Buffer;
}

/** Largest definition file accepted; the real console refuses files above a few MB too. */
export const APIG_IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;

type Busboy = NodeJS.WritableStream;

/**
 * The raw body was read once already (the AK/SK signature covers it), so multer is fed that
 * buffer instead of the request stream (its `streamHandler` option, which @types/multer lacks).
 */
const rawBodies = new WeakMap<Request, Buffer>();
const options = {
  storage: multer.memoryStorage(),
  limits: { fileSize: APIG_IMPORT_MAX_FILE_BYTES, files: 1, fields: 20, parts: 21 },
  streamHandler: (req: Request, busboy: Busboy) => busboy.end(rawBodies.get(req) ?? Buffer.alloc(0)),
} as multer.Options;
const parseForm: RequestHandler = multer(options).any();

function runMulter(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    parseForm(req, {} as Response, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

function booleanField(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApigRequestError(ApigErrors.invalidParameter(name));
}

function modeField(value: unknown, name: string): 'merge' | 'override' {
  if (value === undefined || value === '') return 'merge';
  if (value === 'merge' || value === 'override') return value;
  throw new ApigRequestError(ApigErrors.invalidParameter(name));
}

/**
 * Reads the multipart form. The file is the part named `file_name` (the vendor's name for it);
 * a part named `file` is accepted too.
 */
export async function readApigImportForm(req: Request): Promise<ApigImportForm> {
  if (!/^multipart\/form-data/i.test(req.get('content-type') ?? '')) throw new ApigRequestError(ApigErrors.missingParameter('file_name'));
  rawBodies.set(req, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  try {
    await runMulter(req);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const field = code === 'LIMIT_FILE_SIZE' ? 'file_name' : 'form';
    throw new ApigRequestError({ ...ApigErrors.invalidParameter(field), message: `${ApigErrors.invalidParameter(field).message} (${(error as Error).message})` });
  }
  const fields = (req.body ?? {}) as Record<string, unknown>;
  const files = (req.files ?? []) as Express.Multer.File[];
  const file = files.find((f) => f.fieldname === 'file_name') ?? files.find((f) => f.fieldname === 'file');
  if (!file) throw new ApigRequestError(ApigErrors.missingParameter('file_name'));

  const isCreateGroup = booleanField(fields.is_create_group, 'is_create_group', true);
  const groupId = typeof fields.group_id === 'string' && fields.group_id !== '' ? fields.group_id : undefined;
  if (!isCreateGroup && groupId === undefined) throw new ApigRequestError(ApigErrors.missingParameter('group_id'));
  return {
    isCreateGroup,
    groupId,
    extendMode: modeField(fields.extend_mode, 'extend_mode'),
    apiMode: modeField(fields.api_mode, 'api_mode'),
    simpleMode: booleanField(fields.simple_mode, 'simple_mode', false),
    mockMode: booleanField(fields.mock_mode, 'mock_mode', false),
    fileName: file.originalname,
    file: file.buffer,
  };
}
