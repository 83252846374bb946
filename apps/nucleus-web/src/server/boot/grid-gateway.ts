import { Forbidden, Invalid, Unavailable } from '../errors.ts';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { browseDirectory, countMatches } from '../grid/star-queries.ts';
import type { GridServer } from '../grid/start-grid-server.ts';
import type { StarGateway } from '../services/stars/star-gateway.ts';

/** A Star's refusal or failure, in the Nucleus' error vocabulary. */
function asDomainError(error: unknown): unknown {
  if (!(error instanceof GridCommandError)) return error;
  const where = error.path ? ` (${error.path})` : '';
  const message = `${error.message}${where}${error.hint ? `: ${error.hint}` : ''}`;
  if (error.code === 'ERROR_CODE_PERMISSION_DENIED') return new Forbidden(message);
  if (error.code === 'ERROR_CODE_NOT_FOUND' || error.code === 'ERROR_CODE_INVALID_ARGUMENT') {
    return new Invalid(message, [{ path: 'path', message }]);
  }
  return new Unavailable(message);
}

/** The services' view of the running grid server. */
export function gridGateway(grid: GridServer): StarGateway {
  return {
    isConnected: (starId) => grid.hub.isConnected(starId),
    browse: (starId, path) =>
      browseDirectory(grid.hub, starId, path).catch((error: unknown) => {
        throw asDomainError(error);
      }),
    countMatches: (starId, path, include, exclude) =>
      countMatches(grid.hub, starId, path, include, exclude).catch((error: unknown) => {
        throw asDomainError(error);
      }),
    joinCommand: (token, name) => grid.joinCommand(token, name),
  };
}
