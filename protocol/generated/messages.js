import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var SignedEnvelope;
(function (SignedEnvelope) {
    let _codec;
    SignedEnvelope.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.kind != null && obj.kind !== '')) {
                    w.uint32(18);
                    w.string(obj.kind);
                }
                if ((obj.body != null && obj.body.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.body);
                }
                if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.publicKey);
                }
                if ((obj.signature != null && obj.signature.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.signature);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    kind: '',
                    body: uint8ArrayAlloc(0),
                    publicKey: uint8ArrayAlloc(0),
                    signature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.kind = reader.string();
                            break;
                        }
                        case 3: {
                            obj.body = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.publicKey = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.signature = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.kind`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.body`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.publicKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.signature`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SignedEnvelope.codec());
    }
    SignedEnvelope.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SignedEnvelope.codec(), opts);
    }
    SignedEnvelope.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SignedEnvelope.codec(), opts);
    }
    SignedEnvelope.stream = stream;
})(SignedEnvelope || (SignedEnvelope = {}));
export var SubmitTask;
(function (SubmitTask) {
    let _codec;
    SubmitTask.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.proofType != null && obj.proofType !== '')) {
                    w.uint32(18);
                    w.string(obj.proofType);
                }
                if ((obj.input != null && obj.input.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.input);
                }
                if ((obj.maxPricePerUnit != null && obj.maxPricePerUnit !== 0n)) {
                    w.uint32(32);
                    w.uint64(obj.maxPricePerUnit);
                }
                if ((obj.deadlineMs != null && obj.deadlineMs !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.deadlineMs);
                }
                if ((obj.nonce != null && obj.nonce !== 0n)) {
                    w.uint32(48);
                    w.uint64(obj.nonce);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    proofType: '',
                    input: uint8ArrayAlloc(0),
                    maxPricePerUnit: 0n,
                    deadlineMs: 0n,
                    nonce: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.proofType = reader.string();
                            break;
                        }
                        case 3: {
                            obj.input = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.maxPricePerUnit = reader.uint64();
                            break;
                        }
                        case 5: {
                            obj.deadlineMs = reader.uint64();
                            break;
                        }
                        case 6: {
                            obj.nonce = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.proofType`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.input`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.maxPricePerUnit`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.deadlineMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.nonce`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SubmitTask.codec());
    }
    SubmitTask.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SubmitTask.codec(), opts);
    }
    SubmitTask.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SubmitTask.codec(), opts);
    }
    SubmitTask.stream = stream;
})(SubmitTask || (SubmitTask = {}));
export var SumInput;
(function (SumInput) {
    let _codec;
    SumInput.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.values != null && obj.values.length > 0) {
                    for (const value of obj.values) {
                        w.uint32(8);
                        w.uint32(value);
                    }
                }
                if ((obj.chunkSize != null && obj.chunkSize !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.chunkSize);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    values: [],
                    chunkSize: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.values != null && obj.values.length === opts.limits.values) {
                                throw new MaxLengthError('Decode error - repeated field "values" had too many elements');
                            }
                            obj.values.push(reader.uint32());
                            break;
                        }
                        case 2: {
                            obj.chunkSize = reader.uint32();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    values: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.values != null && obj.values === opts.limits.values) {
                                throw new MaxLengthError('Streaming decode error - repeated field "values" had too many elements');
                            }
                            yield {
                                field: `${prefix}.values[]`,
                                index: obj.values,
                                value: reader.uint32()
                            };
                            obj.values++;
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.chunkSize`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SumInput.codec());
    }
    SumInput.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SumInput.codec(), opts);
    }
    SumInput.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SumInput.codec(), opts);
    }
    SumInput.stream = stream;
})(SumInput || (SumInput = {}));
export var HashchainInput;
(function (HashchainInput) {
    let _codec;
    HashchainInput.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.seed != null && obj.seed.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.seed);
                }
                if ((obj.steps != null && obj.steps !== 0n)) {
                    w.uint32(16);
                    w.uint64(obj.steps);
                }
                if ((obj.segment != null && obj.segment !== 0n)) {
                    w.uint32(24);
                    w.uint64(obj.segment);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    seed: uint8ArrayAlloc(0),
                    steps: 0n,
                    segment: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.seed = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.steps = reader.uint64();
                            break;
                        }
                        case 3: {
                            obj.segment = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.seed`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.steps`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.segment`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, HashchainInput.codec());
    }
    HashchainInput.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, HashchainInput.codec(), opts);
    }
    HashchainInput.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, HashchainInput.codec(), opts);
    }
    HashchainInput.stream = stream;
})(HashchainInput || (HashchainInput = {}));
export var TaskAccepted;
(function (TaskAccepted) {
    let _codec;
    TaskAccepted.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.acceptedAtMs != null && obj.acceptedAtMs !== 0n)) {
                    w.uint32(24);
                    w.uint64(obj.acceptedAtMs);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    acceptedAtMs: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.acceptedAtMs = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.acceptedAtMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, TaskAccepted.codec());
    }
    TaskAccepted.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, TaskAccepted.codec(), opts);
    }
    TaskAccepted.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, TaskAccepted.codec(), opts);
    }
    TaskAccepted.stream = stream;
})(TaskAccepted || (TaskAccepted = {}));
export var TaskStatus;
(function (TaskStatus) {
    let _codec;
    TaskStatus.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.state != null && obj.state !== '')) {
                    w.uint32(26);
                    w.string(obj.state);
                }
                if ((obj.detail != null && obj.detail !== '')) {
                    w.uint32(34);
                    w.string(obj.detail);
                }
                if ((obj.atMs != null && obj.atMs !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.atMs);
                }
                if ((obj.final != null && obj.final !== false)) {
                    w.uint32(48);
                    w.bool(obj.final);
                }
                if ((obj.proof != null && obj.proof.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.proof);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    state: '',
                    detail: '',
                    atMs: 0n,
                    final: false,
                    proof: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.state = reader.string();
                            break;
                        }
                        case 4: {
                            obj.detail = reader.string();
                            break;
                        }
                        case 5: {
                            obj.atMs = reader.uint64();
                            break;
                        }
                        case 6: {
                            obj.final = reader.bool();
                            break;
                        }
                        case 7: {
                            obj.proof = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.state`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.detail`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.atMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.final`,
                                value: reader.bool()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.proof`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, TaskStatus.codec());
    }
    TaskStatus.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, TaskStatus.codec(), opts);
    }
    TaskStatus.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, TaskStatus.codec(), opts);
    }
    TaskStatus.stream = stream;
})(TaskStatus || (TaskStatus = {}));
export var SubmitError;
(function (SubmitError) {
    let _codec;
    SubmitError.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.code != null && obj.code !== '')) {
                    w.uint32(18);
                    w.string(obj.code);
                }
                if ((obj.field != null && obj.field !== '')) {
                    w.uint32(26);
                    w.string(obj.field);
                }
                if ((obj.message != null && obj.message !== '')) {
                    w.uint32(34);
                    w.string(obj.message);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    code: '',
                    field: '',
                    message: ''
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.code = reader.string();
                            break;
                        }
                        case 3: {
                            obj.field = reader.string();
                            break;
                        }
                        case 4: {
                            obj.message = reader.string();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.code`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.field`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.message`,
                                value: reader.string()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SubmitError.codec());
    }
    SubmitError.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SubmitError.codec(), opts);
    }
    SubmitError.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SubmitError.codec(), opts);
    }
    SubmitError.stream = stream;
})(SubmitError || (SubmitError = {}));
export var SubmitResponse;
(function (SubmitResponse) {
    let _codec;
    SubmitResponse.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.accepted != null) {
                    w.uint32(18);
                    TaskAccepted.codec().encode(obj.accepted, w);
                }
                if (obj.status != null) {
                    w.uint32(26);
                    TaskStatus.codec().encode(obj.status, w);
                }
                if (obj.error != null) {
                    w.uint32(34);
                    SubmitError.codec().encode(obj.error, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.accepted = TaskAccepted.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.accepted
                            });
                            break;
                        }
                        case 3: {
                            obj.status = TaskStatus.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.status
                            });
                            break;
                        }
                        case 4: {
                            obj.error = SubmitError.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield* TaskAccepted.codec().stream(reader, reader.uint32(), `${prefix}.accepted`, {
                                limits: opts.limits?.accepted
                            });
                            break;
                        }
                        case 3: {
                            yield* TaskStatus.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                                limits: opts.limits?.status
                            });
                            break;
                        }
                        case 4: {
                            yield* SubmitError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SubmitResponse.codec());
    }
    SubmitResponse.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SubmitResponse.codec(), opts);
    }
    SubmitResponse.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SubmitResponse.codec(), opts);
    }
    SubmitResponse.stream = stream;
})(SubmitResponse || (SubmitResponse = {}));
export var ClassDemand;
(function (ClassDemand) {
    let _codec;
    ClassDemand.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.class != null && obj.class !== '')) {
                    w.uint32(10);
                    w.string(obj.class);
                }
                if ((obj.units != null && obj.units !== 0n)) {
                    w.uint32(16);
                    w.uint64(obj.units);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    class: '',
                    units: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.class = reader.string();
                            break;
                        }
                        case 2: {
                            obj.units = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.class`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.units`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, ClassDemand.codec());
    }
    ClassDemand.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, ClassDemand.codec(), opts);
    }
    ClassDemand.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, ClassDemand.codec(), opts);
    }
    ClassDemand.stream = stream;
})(ClassDemand || (ClassDemand = {}));
export var TaskAnnounce;
(function (TaskAnnounce) {
    let _codec;
    TaskAnnounce.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.proofType != null && obj.proofType !== '')) {
                    w.uint32(26);
                    w.string(obj.proofType);
                }
                if (obj.demands != null && obj.demands.length > 0) {
                    for (const value of obj.demands) {
                        w.uint32(34);
                        ClassDemand.codec().encode(value, w);
                    }
                }
                if ((obj.maxPricePerUnit != null && obj.maxPricePerUnit !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.maxPricePerUnit);
                }
                if ((obj.deadlineMs != null && obj.deadlineMs !== 0n)) {
                    w.uint32(48);
                    w.uint64(obj.deadlineMs);
                }
                if ((obj.inputCommitment != null && obj.inputCommitment.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.inputCommitment);
                }
                if ((obj.inputSize != null && obj.inputSize !== 0)) {
                    w.uint32(64);
                    w.uint32(obj.inputSize);
                }
                if ((obj.gateway != null && obj.gateway.byteLength > 0)) {
                    w.uint32(74);
                    w.bytes(obj.gateway);
                }
                if ((obj.announcedAtMs != null && obj.announcedAtMs !== 0n)) {
                    w.uint32(80);
                    w.uint64(obj.announcedAtMs);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    proofType: '',
                    demands: [],
                    maxPricePerUnit: 0n,
                    deadlineMs: 0n,
                    inputCommitment: uint8ArrayAlloc(0),
                    inputSize: 0,
                    gateway: uint8ArrayAlloc(0),
                    announcedAtMs: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.proofType = reader.string();
                            break;
                        }
                        case 4: {
                            if (opts.limits?.demands != null && obj.demands.length === opts.limits.demands) {
                                throw new MaxLengthError('Decode error - repeated field "demands" had too many elements');
                            }
                            obj.demands.push(ClassDemand.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.demands$
                            }));
                            break;
                        }
                        case 5: {
                            obj.maxPricePerUnit = reader.uint64();
                            break;
                        }
                        case 6: {
                            obj.deadlineMs = reader.uint64();
                            break;
                        }
                        case 7: {
                            obj.inputCommitment = reader.bytes();
                            break;
                        }
                        case 8: {
                            obj.inputSize = reader.uint32();
                            break;
                        }
                        case 9: {
                            obj.gateway = reader.bytes();
                            break;
                        }
                        case 10: {
                            obj.announcedAtMs = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    demands: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.proofType`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            if (opts.limits?.demands != null && obj.demands === opts.limits.demands) {
                                throw new MaxLengthError('Streaming decode error - repeated field "demands" had too many elements');
                            }
                            for (const evt of ClassDemand.codec().stream(reader, reader.uint32(), `${prefix}.demands[]`, {
                                limits: opts.limits?.demands$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.demands
                                };
                            }
                            obj.demands++;
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.maxPricePerUnit`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.deadlineMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.inputCommitment`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.inputSize`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 9: {
                            yield {
                                field: `${prefix}.gateway`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 10: {
                            yield {
                                field: `${prefix}.announcedAtMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, TaskAnnounce.codec());
    }
    TaskAnnounce.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, TaskAnnounce.codec(), opts);
    }
    TaskAnnounce.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, TaskAnnounce.codec(), opts);
    }
    TaskAnnounce.stream = stream;
})(TaskAnnounce || (TaskAnnounce = {}));
export var JobDemand;
(function (JobDemand) {
    let _codec;
    JobDemand.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.proofType != null && obj.proofType !== '')) {
                    w.uint32(26);
                    w.string(obj.proofType);
                }
                if ((obj.class != null && obj.class !== '')) {
                    w.uint32(34);
                    w.string(obj.class);
                }
                if (obj.jobIndexes != null && obj.jobIndexes.length > 0) {
                    for (const value of obj.jobIndexes) {
                        w.uint32(40);
                        w.uint32(value);
                    }
                }
                if ((obj.round != null && obj.round !== 0)) {
                    w.uint32(48);
                    w.uint32(obj.round);
                }
                if ((obj.maxPricePerUnit != null && obj.maxPricePerUnit !== 0n)) {
                    w.uint32(56);
                    w.uint64(obj.maxPricePerUnit);
                }
                if ((obj.deadlineMs != null && obj.deadlineMs !== 0n)) {
                    w.uint32(64);
                    w.uint64(obj.deadlineMs);
                }
                if ((obj.gateway != null && obj.gateway.byteLength > 0)) {
                    w.uint32(74);
                    w.bytes(obj.gateway);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    proofType: '',
                    class: '',
                    jobIndexes: [],
                    round: 0,
                    maxPricePerUnit: 0n,
                    deadlineMs: 0n,
                    gateway: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.proofType = reader.string();
                            break;
                        }
                        case 4: {
                            obj.class = reader.string();
                            break;
                        }
                        case 5: {
                            if (opts.limits?.jobIndexes != null && obj.jobIndexes.length === opts.limits.jobIndexes) {
                                throw new MaxLengthError('Decode error - repeated field "jobIndexes" had too many elements');
                            }
                            obj.jobIndexes.push(reader.uint32());
                            break;
                        }
                        case 6: {
                            obj.round = reader.uint32();
                            break;
                        }
                        case 7: {
                            obj.maxPricePerUnit = reader.uint64();
                            break;
                        }
                        case 8: {
                            obj.deadlineMs = reader.uint64();
                            break;
                        }
                        case 9: {
                            obj.gateway = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    jobIndexes: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.proofType`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.class`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 5: {
                            if (opts.limits?.jobIndexes != null && obj.jobIndexes === opts.limits.jobIndexes) {
                                throw new MaxLengthError('Streaming decode error - repeated field "jobIndexes" had too many elements');
                            }
                            yield {
                                field: `${prefix}.jobIndexes[]`,
                                index: obj.jobIndexes,
                                value: reader.uint32()
                            };
                            obj.jobIndexes++;
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.round`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.maxPricePerUnit`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.deadlineMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 9: {
                            yield {
                                field: `${prefix}.gateway`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, JobDemand.codec());
    }
    JobDemand.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JobDemand.codec(), opts);
    }
    JobDemand.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JobDemand.codec(), opts);
    }
    JobDemand.stream = stream;
})(JobDemand || (JobDemand = {}));
export var Ask;
(function (Ask) {
    let _codec;
    Ask.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.epoch != null && obj.epoch !== 0n)) {
                    w.uint32(16);
                    w.uint64(obj.epoch);
                }
                if ((obj.class != null && obj.class !== '')) {
                    w.uint32(26);
                    w.string(obj.class);
                }
                if ((obj.capacityUnits != null && obj.capacityUnits !== 0n)) {
                    w.uint32(32);
                    w.uint64(obj.capacityUnits);
                }
                if ((obj.costPerUnit != null && obj.costPerUnit !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.costPerUnit);
                }
                if ((obj.operator != null && obj.operator.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.operator);
                }
                if ((obj.peer != null && obj.peer.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.peer);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    epoch: 0n,
                    class: '',
                    capacityUnits: 0n,
                    costPerUnit: 0n,
                    operator: uint8ArrayAlloc(0),
                    peer: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.epoch = reader.uint64();
                            break;
                        }
                        case 3: {
                            obj.class = reader.string();
                            break;
                        }
                        case 4: {
                            obj.capacityUnits = reader.uint64();
                            break;
                        }
                        case 5: {
                            obj.costPerUnit = reader.uint64();
                            break;
                        }
                        case 6: {
                            obj.operator = reader.bytes();
                            break;
                        }
                        case 7: {
                            obj.peer = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.epoch`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.class`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.capacityUnits`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.costPerUnit`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.operator`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.peer`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Ask.codec());
    }
    Ask.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Ask.codec(), opts);
    }
    Ask.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Ask.codec(), opts);
    }
    Ask.stream = stream;
})(Ask || (Ask = {}));
export var Seal;
(function (Seal) {
    let _codec;
    Seal.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.epoch != null && obj.epoch !== 0n)) {
                    w.uint32(16);
                    w.uint64(obj.epoch);
                }
                if ((obj.class != null && obj.class !== '')) {
                    w.uint32(26);
                    w.string(obj.class);
                }
                if ((obj.leader != null && obj.leader.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.leader);
                }
                if (obj.bidIds != null && obj.bidIds.length > 0) {
                    for (const value of obj.bidIds) {
                        w.uint32(42);
                        w.bytes(value);
                    }
                }
                if ((obj.resultHash != null && obj.resultHash.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.resultHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    epoch: 0n,
                    class: '',
                    leader: uint8ArrayAlloc(0),
                    bidIds: [],
                    resultHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.epoch = reader.uint64();
                            break;
                        }
                        case 3: {
                            obj.class = reader.string();
                            break;
                        }
                        case 4: {
                            obj.leader = reader.bytes();
                            break;
                        }
                        case 5: {
                            if (opts.limits?.bidIds != null && obj.bidIds.length === opts.limits.bidIds) {
                                throw new MaxLengthError('Decode error - repeated field "bidIds" had too many elements');
                            }
                            obj.bidIds.push(reader.bytes());
                            break;
                        }
                        case 6: {
                            obj.resultHash = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    bidIds: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.epoch`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.class`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.leader`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            if (opts.limits?.bidIds != null && obj.bidIds === opts.limits.bidIds) {
                                throw new MaxLengthError('Streaming decode error - repeated field "bidIds" had too many elements');
                            }
                            yield {
                                field: `${prefix}.bidIds[]`,
                                index: obj.bidIds,
                                value: reader.bytes()
                            };
                            obj.bidIds++;
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.resultHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, Seal.codec());
    }
    Seal.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Seal.codec(), opts);
    }
    Seal.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Seal.codec(), opts);
    }
    Seal.stream = stream;
})(Seal || (Seal = {}));
export var PeerBinding;
(function (PeerBinding) {
    let _codec;
    PeerBinding.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.operator != null && obj.operator.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.operator);
                }
                if ((obj.peer != null && obj.peer.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.peer);
                }
                if ((obj.chainId != null && obj.chainId !== 0n)) {
                    w.uint32(32);
                    w.uint64(obj.chainId);
                }
                if ((obj.expiryMs != null && obj.expiryMs !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.expiryMs);
                }
                if ((obj.operatorSignature != null && obj.operatorSignature.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.operatorSignature);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    operator: uint8ArrayAlloc(0),
                    peer: uint8ArrayAlloc(0),
                    chainId: 0n,
                    expiryMs: 0n,
                    operatorSignature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.operator = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.peer = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.chainId = reader.uint64();
                            break;
                        }
                        case 5: {
                            obj.expiryMs = reader.uint64();
                            break;
                        }
                        case 6: {
                            obj.operatorSignature = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.operator`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.peer`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.chainId`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.expiryMs`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.operatorSignature`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, PeerBinding.codec());
    }
    PeerBinding.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, PeerBinding.codec(), opts);
    }
    PeerBinding.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, PeerBinding.codec(), opts);
    }
    PeerBinding.stream = stream;
})(PeerBinding || (PeerBinding = {}));
export var FetchJobInput;
(function (FetchJobInput) {
    let _codec;
    FetchJobInput.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.jobIndex != null && obj.jobIndex !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.jobIndex);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    jobIndex: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.jobIndex = reader.uint32();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.jobIndex`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, FetchJobInput.codec());
    }
    FetchJobInput.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, FetchJobInput.codec(), opts);
    }
    FetchJobInput.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, FetchJobInput.codec(), opts);
    }
    FetchJobInput.stream = stream;
})(FetchJobInput || (FetchJobInput = {}));
export var JobInput;
(function (JobInput) {
    let _codec;
    JobInput.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.jobIndex != null && obj.jobIndex !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.jobIndex);
                }
                if ((obj.input != null && obj.input.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.input);
                }
                if (obj.error != null) {
                    w.uint32(42);
                    SubmitError.codec().encode(obj.error, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    jobIndex: 0,
                    input: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.jobIndex = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.input = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.error = SubmitError.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.jobIndex`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.input`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield* SubmitError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, JobInput.codec());
    }
    JobInput.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JobInput.codec(), opts);
    }
    JobInput.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JobInput.codec(), opts);
    }
    JobInput.stream = stream;
})(JobInput || (JobInput = {}));
export var AggregateInput;
(function (AggregateInput) {
    let _codec;
    AggregateInput.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.children != null && obj.children.length > 0) {
                    for (const value of obj.children) {
                        w.uint32(10);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    children: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.children != null && obj.children.length === opts.limits.children) {
                                throw new MaxLengthError('Decode error - repeated field "children" had too many elements');
                            }
                            obj.children.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    children: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.children != null && obj.children === opts.limits.children) {
                                throw new MaxLengthError('Streaming decode error - repeated field "children" had too many elements');
                            }
                            yield {
                                field: `${prefix}.children[]`,
                                index: obj.children,
                                value: reader.bytes()
                            };
                            obj.children++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, AggregateInput.codec());
    }
    AggregateInput.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, AggregateInput.codec(), opts);
    }
    AggregateInput.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, AggregateInput.codec(), opts);
    }
    AggregateInput.stream = stream;
})(AggregateInput || (AggregateInput = {}));
export var DeliverJobResult;
(function (DeliverJobResult) {
    let _codec;
    DeliverJobResult.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.jobIndex != null && obj.jobIndex !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.jobIndex);
                }
                if ((obj.proof != null && obj.proof.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.proof);
                }
                if ((obj.publicOutputs != null && obj.publicOutputs.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.publicOutputs);
                }
                if ((obj.epoch != null && obj.epoch !== 0n)) {
                    w.uint32(48);
                    w.uint64(obj.epoch);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    jobIndex: 0,
                    proof: uint8ArrayAlloc(0),
                    publicOutputs: uint8ArrayAlloc(0),
                    epoch: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.jobIndex = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.proof = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.publicOutputs = reader.bytes();
                            break;
                        }
                        case 6: {
                            obj.epoch = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.jobIndex`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.proof`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.publicOutputs`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.epoch`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, DeliverJobResult.codec());
    }
    DeliverJobResult.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, DeliverJobResult.codec(), opts);
    }
    DeliverJobResult.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, DeliverJobResult.codec(), opts);
    }
    DeliverJobResult.stream = stream;
})(DeliverJobResult || (DeliverJobResult = {}));
export var JobResultAck;
(function (JobResultAck) {
    let _codec;
    JobResultAck.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.taskId != null && obj.taskId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.taskId);
                }
                if ((obj.jobIndex != null && obj.jobIndex !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.jobIndex);
                }
                if ((obj.accepted != null && obj.accepted !== false)) {
                    w.uint32(32);
                    w.bool(obj.accepted);
                }
                if (obj.error != null) {
                    w.uint32(42);
                    SubmitError.codec().encode(obj.error, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    taskId: uint8ArrayAlloc(0),
                    jobIndex: 0,
                    accepted: false
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.taskId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.jobIndex = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.accepted = reader.bool();
                            break;
                        }
                        case 5: {
                            obj.error = SubmitError.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.taskId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.jobIndex`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.accepted`,
                                value: reader.bool()
                            };
                            break;
                        }
                        case 5: {
                            yield* SubmitError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                                limits: opts.limits?.error
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, JobResultAck.codec());
    }
    JobResultAck.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JobResultAck.codec(), opts);
    }
    JobResultAck.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JobResultAck.codec(), opts);
    }
    JobResultAck.stream = stream;
})(JobResultAck || (JobResultAck = {}));
export var FetchBids;
(function (FetchBids) {
    let _codec;
    FetchBids.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.bidIds != null && obj.bidIds.length > 0) {
                    for (const value of obj.bidIds) {
                        w.uint32(18);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    bidIds: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.bidIds != null && obj.bidIds.length === opts.limits.bidIds) {
                                throw new MaxLengthError('Decode error - repeated field "bidIds" had too many elements');
                            }
                            obj.bidIds.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    bidIds: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.bidIds != null && obj.bidIds === opts.limits.bidIds) {
                                throw new MaxLengthError('Streaming decode error - repeated field "bidIds" had too many elements');
                            }
                            yield {
                                field: `${prefix}.bidIds[]`,
                                index: obj.bidIds,
                                value: reader.bytes()
                            };
                            obj.bidIds++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, FetchBids.codec());
    }
    FetchBids.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, FetchBids.codec(), opts);
    }
    FetchBids.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, FetchBids.codec(), opts);
    }
    FetchBids.stream = stream;
})(FetchBids || (FetchBids = {}));
export var BidSet;
(function (BidSet) {
    let _codec;
    BidSet.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.envelopes != null && obj.envelopes.length > 0) {
                    for (const value of obj.envelopes) {
                        w.uint32(18);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    envelopes: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements');
                            }
                            obj.envelopes.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    envelopes: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements');
                            }
                            yield {
                                field: `${prefix}.envelopes[]`,
                                index: obj.envelopes,
                                value: reader.bytes()
                            };
                            obj.envelopes++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, BidSet.codec());
    }
    BidSet.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, BidSet.codec(), opts);
    }
    BidSet.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, BidSet.codec(), opts);
    }
    BidSet.stream = stream;
})(BidSet || (BidSet = {}));
export var FetchSeals;
(function (FetchSeals) {
    let _codec;
    FetchSeals.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.fromEpoch != null && obj.fromEpoch !== 0n)) {
                    w.uint32(16);
                    w.uint64(obj.fromEpoch);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    fromEpoch: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.fromEpoch = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.fromEpoch`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, FetchSeals.codec());
    }
    FetchSeals.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, FetchSeals.codec(), opts);
    }
    FetchSeals.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, FetchSeals.codec(), opts);
    }
    FetchSeals.stream = stream;
})(FetchSeals || (FetchSeals = {}));
export var SealSet;
(function (SealSet) {
    let _codec;
    SealSet.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.envelopes != null && obj.envelopes.length > 0) {
                    for (const value of obj.envelopes) {
                        w.uint32(18);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    envelopes: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements');
                            }
                            obj.envelopes.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    envelopes: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements');
                            }
                            yield {
                                field: `${prefix}.envelopes[]`,
                                index: obj.envelopes,
                                value: reader.bytes()
                            };
                            obj.envelopes++;
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, SealSet.codec());
    }
    SealSet.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SealSet.codec(), opts);
    }
    SealSet.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SealSet.codec(), opts);
    }
    SealSet.stream = stream;
})(SealSet || (SealSet = {}));
export var FaultEvidence;
(function (FaultEvidence) {
    let _codec;
    FaultEvidence.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.delivery != null && obj.delivery.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.delivery);
                }
                if ((obj.sealA != null && obj.sealA.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.sealA);
                }
                if ((obj.sealB != null && obj.sealB.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.sealB);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    delivery: uint8ArrayAlloc(0),
                    sealA: uint8ArrayAlloc(0),
                    sealB: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.delivery = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.sealA = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.sealB = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.delivery`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.sealA`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.sealB`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, FaultEvidence.codec());
    }
    FaultEvidence.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, FaultEvidence.codec(), opts);
    }
    FaultEvidence.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, FaultEvidence.codec(), opts);
    }
    FaultEvidence.stream = stream;
})(FaultEvidence || (FaultEvidence = {}));
