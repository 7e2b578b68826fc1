import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from './app-errors.js';

/** Every error leaves the API as `{ error: { code, message, details } }` with a fitting status. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError) {
      response.status(exception.status).json({ error: { code: exception.code, message: exception.message, details: exception.details ?? {} } });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      response.status(status).json({ error: { code: httpCode(status), message: Array.isArray(message) ? message.join('; ') : String(message), details: {} } });
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error in request');
    response.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error; see the server log', details: {} } });
  }
}

function httpCode(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 409) return 'CONFLICT';
  return `HTTP_${status}`;
}
