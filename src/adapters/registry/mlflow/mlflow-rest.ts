import { z } from 'zod';
import { RegistryInputError, RegistryUnavailableError } from '../registry-errors.js';

/** MLflow's error body: `{ error_code, message }` (a duplicate name is 400 RESOURCE_ALREADY_EXISTS, not 409). */
const errorBodySchema = z.object({ error_code: z.string().optional(), message: z.string().optional() }).passthrough();

/** An answer MLflow gave with an error status; `errorCode` is MLflow's (RESOURCE_DOES_NOT_EXIST, …). */
export class MlflowApiError extends Error {
  override name = 'MlflowApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly endpoint: string,
    detail: string,
  ) {
    super(`MLflow ${endpoint} answered ${status} ${errorCode}: ${detail}`);
  }
}

export const isMlflowError = (err: unknown, errorCode: string): err is MlflowApiError =>
  err instanceof MlflowApiError && err.errorCode === errorCode;

type Query = Record<string, string | number | undefined>;

/**
 * The few REST calls the registry makes, over Node's fetch. Every answer is parsed with the
 * caller's zod schema (a server that answers something else is refused, naming the endpoint);
 * a server that cannot be reached is a RegistryUnavailableError (retryable) naming the URI.
 */
export class MlflowRest {
  constructor(
    readonly trackingUri: string,
    private readonly timeoutMs = 30_000,
  ) {}

  get<T>(endpoint: string, query: Query, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
    return this.json('GET', `/api/2.0/mlflow/${endpoint}${queryString(query)}`, undefined, schema);
  }

  post<T>(endpoint: string, body: unknown, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
    return this.json('POST', `/api/2.0/mlflow/${endpoint}`, body, schema);
  }

  patch<T>(endpoint: string, body: unknown, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
    return this.json('PATCH', `/api/2.0/mlflow/${endpoint}`, body, schema);
  }

  delete(endpoint: string, body: unknown): Promise<unknown> {
    return this.json('DELETE', `/api/2.0/mlflow/${endpoint}`, body, z.unknown());
  }

  /** Writes bytes through the artifact proxy (`--artifacts-destination` on the server). */
  async putArtifact(path: string, bytes: Uint8Array): Promise<void> {
    const res = await this.send('PUT', artifactUrl(path), bytes, 'application/octet-stream');
    if (!res.ok) throw await this.failure(res, `artifact PUT ${path}`);
    await res.arrayBuffer();
  }

  /** Reads bytes through the artifact proxy; null when there is no such file. */
  async getArtifact(path: string): Promise<Uint8Array | null> {
    const res = await this.send('GET', artifactUrl(path));
    if (res.status === 404) {
      await res.arrayBuffer();
      return null;
    }
    if (!res.ok) throw await this.failure(res, `artifact GET ${path}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The files of one artifact directory (empty when it does not exist). */
  async listArtifacts(dir: string): Promise<{ path: string; is_dir?: boolean }[]> {
    const res = await this.json(
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts${queryString({ path: dir })}`,
      undefined,
      z.object({ files: z.array(z.object({ path: z.string(), is_dir: z.boolean().optional() })).default([]) }),
    );
    return res.files;
  }

  private async json<T>(
    method: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  ): Promise<T> {
    const res = await this.send(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? undefined : 'application/json',
    );
    if (!res.ok) throw await this.failure(res, `${method} ${path.split('?')[0]}`);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new RegistryUnavailableError(
        `MLflow at ${this.trackingUri} answered ${method} ${path} with non-JSON (${text.slice(0, 120)}); is registry.trackingUri a MLflow tracking server?`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new RegistryUnavailableError(
        `MLflow at ${this.trackingUri} answered ${method} ${path.split('?')[0]} in an unexpected shape (${i?.path.join('.') || '(body)'}: ${i?.message}); ct-flywheel is tested with mlflow==3.17.2`,
      );
    }
    return parsed.data;
  }

  private async send(method: string, path: string, body?: string | Uint8Array, contentType?: string) {
    try {
      return await fetch(`${this.trackingUri}${path}`, {
        method,
        ...(body === undefined ? {} : { body }),
        headers: contentType ? { 'content-type': contentType } : {},
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new RegistryUnavailableError(
        `MLflow at ${this.trackingUri} is unreachable (${method} ${path.split('?')[0]}: ${cause}); start it (\`npm run cluster\` starts one) or point ${'CT_MLFLOW_TRACKING_URI'} at a running server`,
      );
    }
  }

  private async failure(res: Response, endpoint: string): Promise<Error> {
    const text = await res.text();
    let code = `HTTP_${res.status}`;
    let detail = text.slice(0, 300);
    try {
      const body = errorBodySchema.parse(JSON.parse(text));
      code = body.error_code ?? code;
      detail = body.message ?? detail;
    } catch {
      // not MLflow's JSON error: keep the raw text
    }
    // A value MLflow refuses (too long, bad key) will be refused again: not retryable.
    if (code === 'INVALID_PARAMETER_VALUE') return new RegistryInputError(`MLflow refused ${endpoint}: ${detail}`);
    if (res.status >= 500 || res.status === 429)
      return new RegistryUnavailableError(
        `MLflow at ${this.trackingUri} failed ${endpoint} (${res.status} ${code}: ${detail}); it is retried, check the server's log if it persists`,
      );
    return new MlflowApiError(res.status, code, endpoint, detail);
  }
}

function queryString(query: Query): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';
}

function artifactUrl(path: string): string {
  return `/api/2.0/mlflow-artifacts/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
}
