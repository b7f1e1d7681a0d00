import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface SignedEnvelope {
    version: number;
    kind: string;
    body: Uint8Array;
    publicKey: Uint8Array;
    signature: Uint8Array;
}
export declare namespace SignedEnvelope {
    const codec: () => Codec<SignedEnvelope>;
    interface SignedEnvelopeVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SignedEnvelopeKindFieldEvent {
        field: '$.kind';
        value: string;
    }
    interface SignedEnvelopeBodyFieldEvent {
        field: '$.body';
        value: Uint8Array;
    }
    interface SignedEnvelopePublicKeyFieldEvent {
        field: '$.publicKey';
        value: Uint8Array;
    }
    interface SignedEnvelopeSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array;
    }
    function encode(obj: Partial<SignedEnvelope>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEnvelope>): SignedEnvelope;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedEnvelope>): Generator<SignedEnvelopeVersionFieldEvent | SignedEnvelopeKindFieldEvent | SignedEnvelopeBodyFieldEvent | SignedEnvelopePublicKeyFieldEvent | SignedEnvelopeSignatureFieldEvent>;
}
export interface SubmitTask {
    version: number;
    proofType: string;
    input: Uint8Array;
    maxPricePerUnit: bigint;
    deadlineMs: bigint;
    nonce: bigint;
}
export declare namespace SubmitTask {
    const codec: () => Codec<SubmitTask>;
    interface SubmitTaskVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SubmitTaskProofTypeFieldEvent {
        field: '$.proofType';
        value: string;
    }
    interface SubmitTaskInputFieldEvent {
        field: '$.input';
        value: Uint8Array;
    }
    interface SubmitTaskMaxPricePerUnitFieldEvent {
        field: '$.maxPricePerUnit';
        value: bigint;
    }
    interface SubmitTaskDeadlineMsFieldEvent {
        field: '$.deadlineMs';
        value: bigint;
    }
    interface SubmitTaskNonceFieldEvent {
        field: '$.nonce';
        value: bigint;
    }
    function encode(obj: Partial<SubmitTask>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitTask>): SubmitTask;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitTask>): Generator<SubmitTaskVersionFieldEvent | SubmitTaskProofTypeFieldEvent | SubmitTaskInputFieldEvent | SubmitTaskMaxPricePerUnitFieldEvent | SubmitTaskDeadlineMsFieldEvent | SubmitTaskNonceFieldEvent>;
}
export interface SumInput {
    values: number[];
    chunkSize: number;
}
export declare namespace SumInput {
    const codec: () => Codec<SumInput>;
    interface SumInputValuesFieldEvent {
        field: '$.values[]';
        index: number;
        value: number;
    }
    interface SumInputChunkSizeFieldEvent {
        field: '$.chunkSize';
        value: number;
    }
    function encode(obj: Partial<SumInput>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SumInput>): SumInput;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SumInput>): Generator<SumInputValuesFieldEvent | SumInputChunkSizeFieldEvent>;
}
export interface HashchainInput {
    seed: Uint8Array;
    steps: bigint;
    segment: bigint;
}
export declare namespace HashchainInput {
    const codec: () => Codec<HashchainInput>;
    interface HashchainInputSeedFieldEvent {
        field: '$.seed';
        value: Uint8Array;
    }
    interface HashchainInputStepsFieldEvent {
        field: '$.steps';
        value: bigint;
    }
    interface HashchainInputSegmentFieldEvent {
        field: '$.segment';
        value: bigint;
    }
    function encode(obj: Partial<HashchainInput>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HashchainInput>): HashchainInput;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HashchainInput>): Generator<HashchainInputSeedFieldEvent | HashchainInputStepsFieldEvent | HashchainInputSegmentFieldEvent>;
}
export interface TaskAccepted {
    version: number;
    taskId: Uint8Array;
    acceptedAtMs: bigint;
}
export declare namespace TaskAccepted {
    const codec: () => Codec<TaskAccepted>;
    interface TaskAcceptedVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface TaskAcceptedTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface TaskAcceptedAcceptedAtMsFieldEvent {
        field: '$.acceptedAtMs';
        value: bigint;
    }
    function encode(obj: Partial<TaskAccepted>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskAccepted>): TaskAccepted;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskAccepted>): Generator<TaskAcceptedVersionFieldEvent | TaskAcceptedTaskIdFieldEvent | TaskAcceptedAcceptedAtMsFieldEvent>;
}
export interface TaskStatus {
    version: number;
    taskId: Uint8Array;
    state: string;
    detail: string;
    atMs: bigint;
    final: boolean;
    proof: Uint8Array;
}
export declare namespace TaskStatus {
    const codec: () => Codec<TaskStatus>;
    interface TaskStatusVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface TaskStatusTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface TaskStatusStateFieldEvent {
        field: '$.state';
        value: string;
    }
    interface TaskStatusDetailFieldEvent {
        field: '$.detail';
        value: string;
    }
    interface TaskStatusAtMsFieldEvent {
        field: '$.atMs';
        value: bigint;
    }
    interface TaskStatusFinalFieldEvent {
        field: '$.final';
        value: boolean;
    }
    interface TaskStatusProofFieldEvent {
        field: '$.proof';
        value: Uint8Array;
    }
    function encode(obj: Partial<TaskStatus>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskStatus>): TaskStatus;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskStatus>): Generator<TaskStatusVersionFieldEvent | TaskStatusTaskIdFieldEvent | TaskStatusStateFieldEvent | TaskStatusDetailFieldEvent | TaskStatusAtMsFieldEvent | TaskStatusFinalFieldEvent | TaskStatusProofFieldEvent>;
}
export interface SubmitError {
    version: number;
    code: string;
    field: string;
    message: string;
}
export declare namespace SubmitError {
    const codec: () => Codec<SubmitError>;
    interface SubmitErrorVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SubmitErrorCodeFieldEvent {
        field: '$.code';
        value: string;
    }
    interface SubmitErrorFieldFieldEvent {
        field: '$.field';
        value: string;
    }
    interface SubmitErrorMessageFieldEvent {
        field: '$.message';
        value: string;
    }
    function encode(obj: Partial<SubmitError>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitError>): SubmitError;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitError>): Generator<SubmitErrorVersionFieldEvent | SubmitErrorCodeFieldEvent | SubmitErrorFieldFieldEvent | SubmitErrorMessageFieldEvent>;
}
export interface SubmitResponse {
    version: number;
    accepted?: TaskAccepted;
    status?: TaskStatus;
    error?: SubmitError;
}
export declare namespace SubmitResponse {
    const codec: () => Codec<SubmitResponse>;
    interface SubmitResponseVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SubmitResponseAcceptedVersionFieldEvent {
        field: '$.accepted.version';
        value: number;
    }
    interface SubmitResponseAcceptedTaskIdFieldEvent {
        field: '$.accepted.taskId';
        value: Uint8Array;
    }
    interface SubmitResponseAcceptedAcceptedAtMsFieldEvent {
        field: '$.accepted.acceptedAtMs';
        value: bigint;
    }
    interface SubmitResponseStatusVersionFieldEvent {
        field: '$.status.version';
        value: number;
    }
    interface SubmitResponseStatusTaskIdFieldEvent {
        field: '$.status.taskId';
        value: Uint8Array;
    }
    interface SubmitResponseStatusStateFieldEvent {
        field: '$.status.state';
        value: string;
    }
    interface SubmitResponseStatusDetailFieldEvent {
        field: '$.status.detail';
        value: string;
    }
    interface SubmitResponseStatusAtMsFieldEvent {
        field: '$.status.atMs';
        value: bigint;
    }
    interface SubmitResponseStatusFinalFieldEvent {
        field: '$.status.final';
        value: boolean;
    }
    interface SubmitResponseStatusProofFieldEvent {
        field: '$.status.proof';
        value: Uint8Array;
    }
    interface SubmitResponseErrorVersionFieldEvent {
        field: '$.error.version';
        value: number;
    }
    interface SubmitResponseErrorCodeFieldEvent {
        field: '$.error.code';
        value: string;
    }
    interface SubmitResponseErrorFieldFieldEvent {
        field: '$.error.field';
        value: string;
    }
    interface SubmitResponseErrorMessageFieldEvent {
        field: '$.error.message';
        value: string;
    }
    function encode(obj: Partial<SubmitResponse>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitResponse>): SubmitResponse;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitResponse>): Generator<SubmitResponseVersionFieldEvent | SubmitResponseAcceptedVersionFieldEvent | SubmitResponseAcceptedTaskIdFieldEvent | SubmitResponseAcceptedAcceptedAtMsFieldEvent | SubmitResponseStatusVersionFieldEvent | SubmitResponseStatusTaskIdFieldEvent | SubmitResponseStatusStateFieldEvent | SubmitResponseStatusDetailFieldEvent | SubmitResponseStatusAtMsFieldEvent | SubmitResponseStatusFinalFieldEvent | SubmitResponseStatusProofFieldEvent | SubmitResponseErrorVersionFieldEvent | SubmitResponseErrorCodeFieldEvent | SubmitResponseErrorFieldFieldEvent | SubmitResponseErrorMessageFieldEvent>;
}
export interface ClassDemand {
    class: string;
    units: bigint;
}
export declare namespace ClassDemand {
    const codec: () => Codec<ClassDemand>;
    interface ClassDemandClassFieldEvent {
        field: '$.class';
        value: string;
    }
    interface ClassDemandUnitsFieldEvent {
        field: '$.units';
        value: bigint;
    }
    function encode(obj: Partial<ClassDemand>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClassDemand>): ClassDemand;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClassDemand>): Generator<ClassDemandClassFieldEvent | ClassDemandUnitsFieldEvent>;
}
export interface TaskAnnounce {
    version: number;
    taskId: Uint8Array;
    proofType: string;
    demands: ClassDemand[];
    maxPricePerUnit: bigint;
    deadlineMs: bigint;
    inputCommitment: Uint8Array;
    inputSize: number;
    gateway: Uint8Array;
    announcedAtMs: bigint;
}
export declare namespace TaskAnnounce {
    const codec: () => Codec<TaskAnnounce>;
    interface TaskAnnounceVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface TaskAnnounceTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface TaskAnnounceProofTypeFieldEvent {
        field: '$.proofType';
        value: string;
    }
    interface TaskAnnounceDemandsClassFieldEvent {
        field: '$.demands[].class';
        value: string;
        index: number;
    }
    interface TaskAnnounceDemandsUnitsFieldEvent {
        field: '$.demands[].units';
        value: bigint;
        index: number;
    }
    interface TaskAnnounceMaxPricePerUnitFieldEvent {
        field: '$.maxPricePerUnit';
        value: bigint;
    }
    interface TaskAnnounceDeadlineMsFieldEvent {
        field: '$.deadlineMs';
        value: bigint;
    }
    interface TaskAnnounceInputCommitmentFieldEvent {
        field: '$.inputCommitment';
        value: Uint8Array;
    }
    interface TaskAnnounceInputSizeFieldEvent {
        field: '$.inputSize';
        value: number;
    }
    interface TaskAnnounceGatewayFieldEvent {
        field: '$.gateway';
        value: Uint8Array;
    }
    interface TaskAnnounceAnnouncedAtMsFieldEvent {
        field: '$.announcedAtMs';
        value: bigint;
    }
    function encode(obj: Partial<TaskAnnounce>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskAnnounce>): TaskAnnounce;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TaskAnnounce>): Generator<TaskAnnounceVersionFieldEvent | TaskAnnounceTaskIdFieldEvent | TaskAnnounceProofTypeFieldEvent | TaskAnnounceDemandsClassFieldEvent | TaskAnnounceDemandsUnitsFieldEvent | TaskAnnounceMaxPricePerUnitFieldEvent | TaskAnnounceDeadlineMsFieldEvent | TaskAnnounceInputCommitmentFieldEvent | TaskAnnounceInputSizeFieldEvent | TaskAnnounceGatewayFieldEvent | TaskAnnounceAnnouncedAtMsFieldEvent>;
}
export interface JobDemand {
    version: number;
    taskId: Uint8Array;
    proofType: string;
    class: string;
    jobIndexes: number[];
    round: number;
    maxPricePerUnit: bigint;
    deadlineMs: bigint;
    gateway: Uint8Array;
}
export declare namespace JobDemand {
    const codec: () => Codec<JobDemand>;
    interface JobDemandVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface JobDemandTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface JobDemandProofTypeFieldEvent {
        field: '$.proofType';
        value: string;
    }
    interface JobDemandClassFieldEvent {
        field: '$.class';
        value: string;
    }
    interface JobDemandJobIndexesFieldEvent {
        field: '$.jobIndexes[]';
        index: number;
        value: number;
    }
    interface JobDemandRoundFieldEvent {
        field: '$.round';
        value: number;
    }
    interface JobDemandMaxPricePerUnitFieldEvent {
        field: '$.maxPricePerUnit';
        value: bigint;
    }
    interface JobDemandDeadlineMsFieldEvent {
        field: '$.deadlineMs';
        value: bigint;
    }
    interface JobDemandGatewayFieldEvent {
        field: '$.gateway';
        value: Uint8Array;
    }
    function encode(obj: Partial<JobDemand>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobDemand>): JobDemand;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobDemand>): Generator<JobDemandVersionFieldEvent | JobDemandTaskIdFieldEvent | JobDemandProofTypeFieldEvent | JobDemandClassFieldEvent | JobDemandJobIndexesFieldEvent | JobDemandRoundFieldEvent | JobDemandMaxPricePerUnitFieldEvent | JobDemandDeadlineMsFieldEvent | JobDemandGatewayFieldEvent>;
}
export interface Ask {
    version: number;
    epoch: bigint;
    class: string;
    capacityUnits: bigint;
    costPerUnit: bigint;
    operator: Uint8Array;
    peer: Uint8Array;
}
export declare namespace Ask {
    const codec: () => Codec<Ask>;
    interface AskVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface AskEpochFieldEvent {
        field: '$.epoch';
        value: bigint;
    }
    interface AskClassFieldEvent {
        field: '$.class';
        value: string;
    }
    interface AskCapacityUnitsFieldEvent {
        field: '$.capacityUnits';
        value: bigint;
    }
    interface AskCostPerUnitFieldEvent {
        field: '$.costPerUnit';
        value: bigint;
    }
    interface AskOperatorFieldEvent {
        field: '$.operator';
        value: Uint8Array;
    }
    interface AskPeerFieldEvent {
        field: '$.peer';
        value: Uint8Array;
    }
    function encode(obj: Partial<Ask>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ask>): Ask;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ask>): Generator<AskVersionFieldEvent | AskEpochFieldEvent | AskClassFieldEvent | AskCapacityUnitsFieldEvent | AskCostPerUnitFieldEvent | AskOperatorFieldEvent | AskPeerFieldEvent>;
}
export interface Seal {
    version: number;
    epoch: bigint;
    class: string;
    leader: Uint8Array;
    bidIds: Uint8Array[];
    resultHash: Uint8Array;
}
export declare namespace Seal {
    const codec: () => Codec<Seal>;
    interface SealVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SealEpochFieldEvent {
        field: '$.epoch';
        value: bigint;
    }
    interface SealClassFieldEvent {
        field: '$.class';
        value: string;
    }
    interface SealLeaderFieldEvent {
        field: '$.leader';
        value: Uint8Array;
    }
    interface SealBidIdsFieldEvent {
        field: '$.bidIds[]';
        index: number;
        value: Uint8Array;
    }
    interface SealResultHashFieldEvent {
        field: '$.resultHash';
        value: Uint8Array;
    }
    function encode(obj: Partial<Seal>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Seal>): Seal;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Seal>): Generator<SealVersionFieldEvent | SealEpochFieldEvent | SealClassFieldEvent | SealLeaderFieldEvent | SealBidIdsFieldEvent | SealResultHashFieldEvent>;
}
export interface PeerBinding {
    version: number;
    operator: Uint8Array;
    peer: Uint8Array;
    chainId: bigint;
    expiryMs: bigint;
    operatorSignature: Uint8Array;
}
export declare namespace PeerBinding {
    const codec: () => Codec<PeerBinding>;
    interface PeerBindingVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface PeerBindingOperatorFieldEvent {
        field: '$.operator';
        value: Uint8Array;
    }
    interface PeerBindingPeerFieldEvent {
        field: '$.peer';
        value: Uint8Array;
    }
    interface PeerBindingChainIdFieldEvent {
        field: '$.chainId';
        value: bigint;
    }
    interface PeerBindingExpiryMsFieldEvent {
        field: '$.expiryMs';
        value: bigint;
    }
    interface PeerBindingOperatorSignatureFieldEvent {
        field: '$.operatorSignature';
        value: Uint8Array;
    }
    function encode(obj: Partial<PeerBinding>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerBinding>): PeerBinding;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerBinding>): Generator<PeerBindingVersionFieldEvent | PeerBindingOperatorFieldEvent | PeerBindingPeerFieldEvent | PeerBindingChainIdFieldEvent | PeerBindingExpiryMsFieldEvent | PeerBindingOperatorSignatureFieldEvent>;
}
export interface FetchJobInput {
    version: number;
    taskId: Uint8Array;
    jobIndex: number;
}
export declare namespace FetchJobInput {
    const codec: () => Codec<FetchJobInput>;
    interface FetchJobInputVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface FetchJobInputTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface FetchJobInputJobIndexFieldEvent {
        field: '$.jobIndex';
        value: number;
    }
    function encode(obj: Partial<FetchJobInput>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchJobInput>): FetchJobInput;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchJobInput>): Generator<FetchJobInputVersionFieldEvent | FetchJobInputTaskIdFieldEvent | FetchJobInputJobIndexFieldEvent>;
}
export interface JobInput {
    version: number;
    taskId: Uint8Array;
    jobIndex: number;
    input: Uint8Array;
    error?: SubmitError;
}
export declare namespace JobInput {
    const codec: () => Codec<JobInput>;
    interface JobInputVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface JobInputTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface JobInputJobIndexFieldEvent {
        field: '$.jobIndex';
        value: number;
    }
    interface JobInputInputFieldEvent {
        field: '$.input';
        value: Uint8Array;
    }
    interface JobInputErrorVersionFieldEvent {
        field: '$.error.version';
        value: number;
    }
    interface JobInputErrorCodeFieldEvent {
        field: '$.error.code';
        value: string;
    }
    interface JobInputErrorFieldFieldEvent {
        field: '$.error.field';
        value: string;
    }
    interface JobInputErrorMessageFieldEvent {
        field: '$.error.message';
        value: string;
    }
    function encode(obj: Partial<JobInput>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobInput>): JobInput;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobInput>): Generator<JobInputVersionFieldEvent | JobInputTaskIdFieldEvent | JobInputJobIndexFieldEvent | JobInputInputFieldEvent | JobInputErrorVersionFieldEvent | JobInputErrorCodeFieldEvent | JobInputErrorFieldFieldEvent | JobInputErrorMessageFieldEvent>;
}
export interface AggregateInput {
    children: Uint8Array[];
}
export declare namespace AggregateInput {
    const codec: () => Codec<AggregateInput>;
    interface AggregateInputChildrenFieldEvent {
        field: '$.children[]';
        index: number;
        value: Uint8Array;
    }
    function encode(obj: Partial<AggregateInput>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AggregateInput>): AggregateInput;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AggregateInput>): Generator<AggregateInputChildrenFieldEvent>;
}
export interface DeliverJobResult {
    version: number;
    taskId: Uint8Array;
    jobIndex: number;
    proof: Uint8Array;
    publicOutputs: Uint8Array;
    epoch: bigint;
}
export declare namespace DeliverJobResult {
    const codec: () => Codec<DeliverJobResult>;
    interface DeliverJobResultVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface DeliverJobResultTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface DeliverJobResultJobIndexFieldEvent {
        field: '$.jobIndex';
        value: number;
    }
    interface DeliverJobResultProofFieldEvent {
        field: '$.proof';
        value: Uint8Array;
    }
    interface DeliverJobResultPublicOutputsFieldEvent {
        field: '$.publicOutputs';
        value: Uint8Array;
    }
    interface DeliverJobResultEpochFieldEvent {
        field: '$.epoch';
        value: bigint;
    }
    function encode(obj: Partial<DeliverJobResult>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverJobResult>): DeliverJobResult;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliverJobResult>): Generator<DeliverJobResultVersionFieldEvent | DeliverJobResultTaskIdFieldEvent | DeliverJobResultJobIndexFieldEvent | DeliverJobResultProofFieldEvent | DeliverJobResultPublicOutputsFieldEvent | DeliverJobResultEpochFieldEvent>;
}
export interface JobResultAck {
    version: number;
    taskId: Uint8Array;
    jobIndex: number;
    accepted: boolean;
    error?: SubmitError;
}
export declare namespace JobResultAck {
    const codec: () => Codec<JobResultAck>;
    interface JobResultAckVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface JobResultAckTaskIdFieldEvent {
        field: '$.taskId';
        value: Uint8Array;
    }
    interface JobResultAckJobIndexFieldEvent {
        field: '$.jobIndex';
        value: number;
    }
    interface JobResultAckAcceptedFieldEvent {
        field: '$.accepted';
        value: boolean;
    }
    interface JobResultAckErrorVersionFieldEvent {
        field: '$.error.version';
        value: number;
    }
    interface JobResultAckErrorCodeFieldEvent {
        field: '$.error.code';
        value: string;
    }
    interface JobResultAckErrorFieldFieldEvent {
        field: '$.error.field';
        value: string;
    }
    interface JobResultAckErrorMessageFieldEvent {
        field: '$.error.message';
        value: string;
    }
    function encode(obj: Partial<JobResultAck>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobResultAck>): JobResultAck;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JobResultAck>): Generator<JobResultAckVersionFieldEvent | JobResultAckTaskIdFieldEvent | JobResultAckJobIndexFieldEvent | JobResultAckAcceptedFieldEvent | JobResultAckErrorVersionFieldEvent | JobResultAckErrorCodeFieldEvent | JobResultAckErrorFieldFieldEvent | JobResultAckErrorMessageFieldEvent>;
}
export interface FetchBids {
    version: number;
    bidIds: Uint8Array[];
}
export declare namespace FetchBids {
    const codec: () => Codec<FetchBids>;
    interface FetchBidsVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface FetchBidsBidIdsFieldEvent {
        field: '$.bidIds[]';
        index: number;
        value: Uint8Array;
    }
    function encode(obj: Partial<FetchBids>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchBids>): FetchBids;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchBids>): Generator<FetchBidsVersionFieldEvent | FetchBidsBidIdsFieldEvent>;
}
export interface BidSet {
    version: number;
    envelopes: Uint8Array[];
}
export declare namespace BidSet {
    const codec: () => Codec<BidSet>;
    interface BidSetVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface BidSetEnvelopesFieldEvent {
        field: '$.envelopes[]';
        index: number;
        value: Uint8Array;
    }
    function encode(obj: Partial<BidSet>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BidSet>): BidSet;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BidSet>): Generator<BidSetVersionFieldEvent | BidSetEnvelopesFieldEvent>;
}
export interface FetchSeals {
    version: number;
    fromEpoch: bigint;
}
export declare namespace FetchSeals {
    const codec: () => Codec<FetchSeals>;
    interface FetchSealsVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface FetchSealsFromEpochFieldEvent {
        field: '$.fromEpoch';
        value: bigint;
    }
    function encode(obj: Partial<FetchSeals>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchSeals>): FetchSeals;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchSeals>): Generator<FetchSealsVersionFieldEvent | FetchSealsFromEpochFieldEvent>;
}
export interface SealSet {
    version: number;
    envelopes: Uint8Array[];
}
export declare namespace SealSet {
    const codec: () => Codec<SealSet>;
    interface SealSetVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface SealSetEnvelopesFieldEvent {
        field: '$.envelopes[]';
        index: number;
        value: Uint8Array;
    }
    function encode(obj: Partial<SealSet>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealSet>): SealSet;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealSet>): Generator<SealSetVersionFieldEvent | SealSetEnvelopesFieldEvent>;
}
export interface FaultEvidence {
    version: number;
    delivery: Uint8Array;
    sealA: Uint8Array;
    sealB: Uint8Array;
}
export declare namespace FaultEvidence {
    const codec: () => Codec<FaultEvidence>;
    interface FaultEvidenceVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface FaultEvidenceDeliveryFieldEvent {
        field: '$.delivery';
        value: Uint8Array;
    }
    interface FaultEvidenceSealAFieldEvent {
        field: '$.sealA';
        value: Uint8Array;
    }
    interface FaultEvidenceSealBFieldEvent {
        field: '$.sealB';
        value: Uint8Array;
    }
    function encode(obj: Partial<FaultEvidence>): Uint8Array;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FaultEvidence>): FaultEvidence;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FaultEvidence>): Generator<FaultEvidenceVersionFieldEvent | FaultEvidenceDeliveryFieldEvent | FaultEvidenceSealAFieldEvent | FaultEvidenceSealBFieldEvent>;
}
