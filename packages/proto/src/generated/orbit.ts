import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _orbit_v1_Ack, Ack__Output as _orbit_v1_Ack__Output } from './orbit/v1/Ack.ts';
import type { ArchiveReceive as _orbit_v1_ArchiveReceive, ArchiveReceive__Output as _orbit_v1_ArchiveReceive__Output } from './orbit/v1/ArchiveReceive.ts';
import type { Cancel as _orbit_v1_Cancel, Cancel__Output as _orbit_v1_Cancel__Output } from './orbit/v1/Cancel.ts';
import type { CancelResult as _orbit_v1_CancelResult, CancelResult__Output as _orbit_v1_CancelResult__Output } from './orbit/v1/CancelResult.ts';
import type { Chunk as _orbit_v1_Chunk, Chunk__Output as _orbit_v1_Chunk__Output } from './orbit/v1/Chunk.ts';
import type { ChunkFile as _orbit_v1_ChunkFile, ChunkFile__Output as _orbit_v1_ChunkFile__Output } from './orbit/v1/ChunkFile.ts';
import type { ChunkFileResult as _orbit_v1_ChunkFileResult, ChunkFileResult__Output as _orbit_v1_ChunkFileResult__Output } from './orbit/v1/ChunkFileResult.ts';
import type { ChunkList as _orbit_v1_ChunkList, ChunkList__Output as _orbit_v1_ChunkList__Output } from './orbit/v1/ChunkList.ts';
import type { ChunkingParams as _orbit_v1_ChunkingParams, ChunkingParams__Output as _orbit_v1_ChunkingParams__Output } from './orbit/v1/ChunkingParams.ts';
import type { Command as _orbit_v1_Command, Command__Output as _orbit_v1_Command__Output } from './orbit/v1/Command.ts';
import type { CommandError as _orbit_v1_CommandError, CommandError__Output as _orbit_v1_CommandError__Output } from './orbit/v1/CommandError.ts';
import type { CommandResult as _orbit_v1_CommandResult, CommandResult__Output as _orbit_v1_CommandResult__Output } from './orbit/v1/CommandResult.ts';
import type { Drain as _orbit_v1_Drain, Drain__Output as _orbit_v1_Drain__Output } from './orbit/v1/Drain.ts';
import type { DrainResult as _orbit_v1_DrainResult, DrainResult__Output as _orbit_v1_DrainResult__Output } from './orbit/v1/DrainResult.ts';
import type { EnrolmentClient as _orbit_v1_EnrolmentClient, EnrolmentDefinition as _orbit_v1_EnrolmentDefinition } from './orbit/v1/Enrolment.ts';
import type { ExpectedFile as _orbit_v1_ExpectedFile, ExpectedFile__Output as _orbit_v1_ExpectedFile__Output } from './orbit/v1/ExpectedFile.ts';
import type { FileEntry as _orbit_v1_FileEntry, FileEntry__Output as _orbit_v1_FileEntry__Output } from './orbit/v1/FileEntry.ts';
import type { FinishArchive as _orbit_v1_FinishArchive, FinishArchive__Output as _orbit_v1_FinishArchive__Output } from './orbit/v1/FinishArchive.ts';
import type { FinishArchiveResult as _orbit_v1_FinishArchiveResult, FinishArchiveResult__Output as _orbit_v1_FinishArchiveResult__Output } from './orbit/v1/FinishArchiveResult.ts';
import type { HashRange as _orbit_v1_HashRange, HashRange__Output as _orbit_v1_HashRange__Output } from './orbit/v1/HashRange.ts';
import type { HashRangeResult as _orbit_v1_HashRangeResult, HashRangeResult__Output as _orbit_v1_HashRangeResult__Output } from './orbit/v1/HashRangeResult.ts';
import type { Heartbeat as _orbit_v1_Heartbeat, Heartbeat__Output as _orbit_v1_Heartbeat__Output } from './orbit/v1/Heartbeat.ts';
import type { Hello as _orbit_v1_Hello, Hello__Output as _orbit_v1_Hello__Output } from './orbit/v1/Hello.ts';
import type { JoinRequest as _orbit_v1_JoinRequest, JoinRequest__Output as _orbit_v1_JoinRequest__Output } from './orbit/v1/JoinRequest.ts';
import type { JoinResponse as _orbit_v1_JoinResponse, JoinResponse__Output as _orbit_v1_JoinResponse__Output } from './orbit/v1/JoinResponse.ts';
import type { NucleusMessage as _orbit_v1_NucleusMessage, NucleusMessage__Output as _orbit_v1_NucleusMessage__Output } from './orbit/v1/NucleusMessage.ts';
import type { PathFailure as _orbit_v1_PathFailure, PathFailure__Output as _orbit_v1_PathFailure__Output } from './orbit/v1/PathFailure.ts';
import type { PlaceEntries as _orbit_v1_PlaceEntries, PlaceEntries__Output as _orbit_v1_PlaceEntries__Output } from './orbit/v1/PlaceEntries.ts';
import type { PlaceEntriesResult as _orbit_v1_PlaceEntriesResult, PlaceEntriesResult__Output as _orbit_v1_PlaceEntriesResult__Output } from './orbit/v1/PlaceEntriesResult.ts';
import type { PrepareReceive as _orbit_v1_PrepareReceive, PrepareReceive__Output as _orbit_v1_PrepareReceive__Output } from './orbit/v1/PrepareReceive.ts';
import type { PrepareReceiveResult as _orbit_v1_PrepareReceiveResult, PrepareReceiveResult__Output as _orbit_v1_PrepareReceiveResult__Output } from './orbit/v1/PrepareReceiveResult.ts';
import type { Progress as _orbit_v1_Progress, Progress__Output as _orbit_v1_Progress__Output } from './orbit/v1/Progress.ts';
import type { PushChunks as _orbit_v1_PushChunks, PushChunks__Output as _orbit_v1_PushChunks__Output } from './orbit/v1/PushChunks.ts';
import type { PushChunksResult as _orbit_v1_PushChunksResult, PushChunksResult__Output as _orbit_v1_PushChunksResult__Output } from './orbit/v1/PushChunksResult.ts';
import type { PushedFile as _orbit_v1_PushedFile, PushedFile__Output as _orbit_v1_PushedFile__Output } from './orbit/v1/PushedFile.ts';
import type { ReadHeader as _orbit_v1_ReadHeader, ReadHeader__Output as _orbit_v1_ReadHeader__Output } from './orbit/v1/ReadHeader.ts';
import type { ReadHeaderResult as _orbit_v1_ReadHeaderResult, ReadHeaderResult__Output as _orbit_v1_ReadHeaderResult__Output } from './orbit/v1/ReadHeaderResult.ts';
import type { Redirect as _orbit_v1_Redirect, Redirect__Output as _orbit_v1_Redirect__Output } from './orbit/v1/Redirect.ts';
import type { RemoveEntry as _orbit_v1_RemoveEntry, RemoveEntry__Output as _orbit_v1_RemoveEntry__Output } from './orbit/v1/RemoveEntry.ts';
import type { RemovePaths as _orbit_v1_RemovePaths, RemovePaths__Output as _orbit_v1_RemovePaths__Output } from './orbit/v1/RemovePaths.ts';
import type { RemovePathsResult as _orbit_v1_RemovePathsResult, RemovePathsResult__Output as _orbit_v1_RemovePathsResult__Output } from './orbit/v1/RemovePathsResult.ts';
import type { RenewRequest as _orbit_v1_RenewRequest, RenewRequest__Output as _orbit_v1_RenewRequest__Output } from './orbit/v1/RenewRequest.ts';
import type { RenewResponse as _orbit_v1_RenewResponse, RenewResponse__Output as _orbit_v1_RenewResponse__Output } from './orbit/v1/RenewResponse.ts';
import type { ResultPart as _orbit_v1_ResultPart, ResultPart__Output as _orbit_v1_ResultPart__Output } from './orbit/v1/ResultPart.ts';
import type { RootSpace as _orbit_v1_RootSpace, RootSpace__Output as _orbit_v1_RootSpace__Output } from './orbit/v1/RootSpace.ts';
import type { ScanDirectory as _orbit_v1_ScanDirectory, ScanDirectory__Output as _orbit_v1_ScanDirectory__Output } from './orbit/v1/ScanDirectory.ts';
import type { ScanDirectoryResult as _orbit_v1_ScanDirectoryResult, ScanDirectoryResult__Output as _orbit_v1_ScanDirectoryResult__Output } from './orbit/v1/ScanDirectoryResult.ts';
import type { ScanEntries as _orbit_v1_ScanEntries, ScanEntries__Output as _orbit_v1_ScanEntries__Output } from './orbit/v1/ScanEntries.ts';
import type { Settings as _orbit_v1_Settings, Settings__Output as _orbit_v1_Settings__Output } from './orbit/v1/Settings.ts';
import type { StarControlClient as _orbit_v1_StarControlClient, StarControlDefinition as _orbit_v1_StarControlDefinition } from './orbit/v1/StarControl.ts';
import type { StarMessage as _orbit_v1_StarMessage, StarMessage__Output as _orbit_v1_StarMessage__Output } from './orbit/v1/StarMessage.ts';
import type { TicketGrant as _orbit_v1_TicketGrant, TicketGrant__Output as _orbit_v1_TicketGrant__Output } from './orbit/v1/TicketGrant.ts';
import type { TicketRequest as _orbit_v1_TicketRequest, TicketRequest__Output as _orbit_v1_TicketRequest__Output } from './orbit/v1/TicketRequest.ts';
import type { Verify as _orbit_v1_Verify, Verify__Output as _orbit_v1_Verify__Output } from './orbit/v1/Verify.ts';
import type { VerifyResult as _orbit_v1_VerifyResult, VerifyResult__Output as _orbit_v1_VerifyResult__Output } from './orbit/v1/VerifyResult.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbit: {
    v1: {
      Ack: MessageTypeDefinition<_orbit_v1_Ack, _orbit_v1_Ack__Output>
      ArchiveReceive: MessageTypeDefinition<_orbit_v1_ArchiveReceive, _orbit_v1_ArchiveReceive__Output>
      Cancel: MessageTypeDefinition<_orbit_v1_Cancel, _orbit_v1_Cancel__Output>
      CancelResult: MessageTypeDefinition<_orbit_v1_CancelResult, _orbit_v1_CancelResult__Output>
      Chunk: MessageTypeDefinition<_orbit_v1_Chunk, _orbit_v1_Chunk__Output>
      ChunkFile: MessageTypeDefinition<_orbit_v1_ChunkFile, _orbit_v1_ChunkFile__Output>
      ChunkFileResult: MessageTypeDefinition<_orbit_v1_ChunkFileResult, _orbit_v1_ChunkFileResult__Output>
      ChunkList: MessageTypeDefinition<_orbit_v1_ChunkList, _orbit_v1_ChunkList__Output>
      ChunkingParams: MessageTypeDefinition<_orbit_v1_ChunkingParams, _orbit_v1_ChunkingParams__Output>
      Command: MessageTypeDefinition<_orbit_v1_Command, _orbit_v1_Command__Output>
      CommandError: MessageTypeDefinition<_orbit_v1_CommandError, _orbit_v1_CommandError__Output>
      CommandResult: MessageTypeDefinition<_orbit_v1_CommandResult, _orbit_v1_CommandResult__Output>
      Drain: MessageTypeDefinition<_orbit_v1_Drain, _orbit_v1_Drain__Output>
      DrainResult: MessageTypeDefinition<_orbit_v1_DrainResult, _orbit_v1_DrainResult__Output>
      /**
       * Joining the grid and keeping the Star's certificate fresh.
       */
      Enrolment: SubtypeConstructor<typeof grpc.Client, _orbit_v1_EnrolmentClient> & { service: _orbit_v1_EnrolmentDefinition }
      EntryKind: EnumTypeDefinition
      ErrorCode: EnumTypeDefinition
      ExpectedFile: MessageTypeDefinition<_orbit_v1_ExpectedFile, _orbit_v1_ExpectedFile__Output>
      FileEntry: MessageTypeDefinition<_orbit_v1_FileEntry, _orbit_v1_FileEntry__Output>
      FinishArchive: MessageTypeDefinition<_orbit_v1_FinishArchive, _orbit_v1_FinishArchive__Output>
      FinishArchiveResult: MessageTypeDefinition<_orbit_v1_FinishArchiveResult, _orbit_v1_FinishArchiveResult__Output>
      HashAlgorithm: EnumTypeDefinition
      HashRange: MessageTypeDefinition<_orbit_v1_HashRange, _orbit_v1_HashRange__Output>
      HashRangeResult: MessageTypeDefinition<_orbit_v1_HashRangeResult, _orbit_v1_HashRangeResult__Output>
      Heartbeat: MessageTypeDefinition<_orbit_v1_Heartbeat, _orbit_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_orbit_v1_Hello, _orbit_v1_Hello__Output>
      JoinRequest: MessageTypeDefinition<_orbit_v1_JoinRequest, _orbit_v1_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_orbit_v1_JoinResponse, _orbit_v1_JoinResponse__Output>
      NucleusMessage: MessageTypeDefinition<_orbit_v1_NucleusMessage, _orbit_v1_NucleusMessage__Output>
      PathFailure: MessageTypeDefinition<_orbit_v1_PathFailure, _orbit_v1_PathFailure__Output>
      PlaceEntries: MessageTypeDefinition<_orbit_v1_PlaceEntries, _orbit_v1_PlaceEntries__Output>
      PlaceEntriesResult: MessageTypeDefinition<_orbit_v1_PlaceEntriesResult, _orbit_v1_PlaceEntriesResult__Output>
      PrepareReceive: MessageTypeDefinition<_orbit_v1_PrepareReceive, _orbit_v1_PrepareReceive__Output>
      PrepareReceiveResult: MessageTypeDefinition<_orbit_v1_PrepareReceiveResult, _orbit_v1_PrepareReceiveResult__Output>
      Progress: MessageTypeDefinition<_orbit_v1_Progress, _orbit_v1_Progress__Output>
      PushChunks: MessageTypeDefinition<_orbit_v1_PushChunks, _orbit_v1_PushChunks__Output>
      PushChunksResult: MessageTypeDefinition<_orbit_v1_PushChunksResult, _orbit_v1_PushChunksResult__Output>
      PushedFile: MessageTypeDefinition<_orbit_v1_PushedFile, _orbit_v1_PushedFile__Output>
      ReadHeader: MessageTypeDefinition<_orbit_v1_ReadHeader, _orbit_v1_ReadHeader__Output>
      ReadHeaderResult: MessageTypeDefinition<_orbit_v1_ReadHeaderResult, _orbit_v1_ReadHeaderResult__Output>
      Redirect: MessageTypeDefinition<_orbit_v1_Redirect, _orbit_v1_Redirect__Output>
      RemoveEntry: MessageTypeDefinition<_orbit_v1_RemoveEntry, _orbit_v1_RemoveEntry__Output>
      RemovePaths: MessageTypeDefinition<_orbit_v1_RemovePaths, _orbit_v1_RemovePaths__Output>
      RemovePathsResult: MessageTypeDefinition<_orbit_v1_RemovePathsResult, _orbit_v1_RemovePathsResult__Output>
      RenewRequest: MessageTypeDefinition<_orbit_v1_RenewRequest, _orbit_v1_RenewRequest__Output>
      RenewResponse: MessageTypeDefinition<_orbit_v1_RenewResponse, _orbit_v1_RenewResponse__Output>
      ResultPart: MessageTypeDefinition<_orbit_v1_ResultPart, _orbit_v1_ResultPart__Output>
      RootSpace: MessageTypeDefinition<_orbit_v1_RootSpace, _orbit_v1_RootSpace__Output>
      ScanDirectory: MessageTypeDefinition<_orbit_v1_ScanDirectory, _orbit_v1_ScanDirectory__Output>
      ScanDirectoryResult: MessageTypeDefinition<_orbit_v1_ScanDirectoryResult, _orbit_v1_ScanDirectoryResult__Output>
      ScanEntries: MessageTypeDefinition<_orbit_v1_ScanEntries, _orbit_v1_ScanEntries__Output>
      Settings: MessageTypeDefinition<_orbit_v1_Settings, _orbit_v1_Settings__Output>
      /**
       * The control channel between a connected Star and the Nucleus. Requires a client certificate
       * issued by the grid CA; the Star's id is read from that certificate, never from a message.
       */
      StarControl: SubtypeConstructor<typeof grpc.Client, _orbit_v1_StarControlClient> & { service: _orbit_v1_StarControlDefinition }
      StarMessage: MessageTypeDefinition<_orbit_v1_StarMessage, _orbit_v1_StarMessage__Output>
      TicketGrant: MessageTypeDefinition<_orbit_v1_TicketGrant, _orbit_v1_TicketGrant__Output>
      TicketRequest: MessageTypeDefinition<_orbit_v1_TicketRequest, _orbit_v1_TicketRequest__Output>
      Verify: MessageTypeDefinition<_orbit_v1_Verify, _orbit_v1_Verify__Output>
      VerifyResult: MessageTypeDefinition<_orbit_v1_VerifyResult, _orbit_v1_VerifyResult__Output>
    }
  }
}

