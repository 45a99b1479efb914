import { ArgusError } from '../errors.ts';

/** The 404 of a record of the project: `Cannot find dataset 'x': no such dataset in this project`. */
export function notFound(what: string, id: string): ArgusError {
  return new ArgusError(
    'NOT_FOUND',
    `Cannot find ${what} '${id.slice(0, 100)}': no such ${what} in this project`,
  );
}
