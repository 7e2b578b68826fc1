import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** The API's description of itself, built from the controllers and their zod schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('apivault admin API')
    .setDescription(
      'Backs up API catalogs from Huawei Cloud and Alibaba Cloud. Bearer tokens (`apivault token create`) with roles viewer < operator < admin; ' +
        'errors are `{ error: { code, message, details } }`; lists take `limit` and `cursor` and answer `{ items, nextCursor }`. See docs/api.md.',
    )
    .setVersion('1') // the API's version (/api/v1), not the package's
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an apivault token (avt_...)' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the UI at /docs and the document at /docs/openapi.json, both without a token. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'], customSiteTitle: 'apivault admin API' });
  return document;
}
