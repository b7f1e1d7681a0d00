// SPDX-License-Identifier: MIT
// prover-mesh's own EigenLayer AVS: the service manager (the AVS identity), the registrar that keeps
// each operator's libp2p peer on chain, the client escrow, and the slasher. Written for prover-mesh
// against the EigenLayer v1.12.0 interfaces (only the calls used are declared here), so the same
// bytecode runs against the local stand-ins and against the real AllocationManager.
//
// Trust model (node/chain/README.md): no single key moves a client's money or slashes. Escrow
// releases and slashes need EIP-712 signatures of operators in our set holding at least
// `thresholdBps` of the set's slashable stake, read from the AllocationManager at execution.
pragma solidity ^0.8.27;

struct OperatorSet {
    address avs;
    uint32 id;
}

struct CreateSetParamsV2 {
    uint32 operatorSetId;
    address[] strategies;
    address slasher;
}

struct SlashingParams {
    address operator;
    uint32 operatorSetId;
    address[] strategies;
    uint256[] wadsToSlash;
    string description;
}

interface IAllocationManager {
    function updateAVSMetadataURI(address avs, string calldata metadataURI) external;
    function setAVSRegistrar(address avs, address registrar) external;
    function createOperatorSets(address avs, CreateSetParamsV2[] calldata params) external;
    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external;
    function removeStrategiesFromOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external;
    function deregisterFromOperatorSets(DeregisterParams calldata params) external;
    function slashOperator(address avs, SlashingParams calldata params) external returns (uint256, uint256[] memory);
    function getStrategiesInOperatorSet(OperatorSet memory operatorSet) external view returns (address[] memory);
    function getMembers(OperatorSet memory operatorSet) external view returns (address[] memory);
    function isMemberOfOperatorSet(address operator, OperatorSet memory operatorSet) external view returns (bool);
    function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory);
    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory);
}

struct DeregisterParams {
    address operator;
    address avs;
    uint32[] operatorSetIds;
}

interface IPermissionController {
    function addPendingAdmin(address account, address admin) external;
    function setAppointee(address account, address appointee, address target, bytes4 selector) external;
}

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// The AVS identity: `avs` in OperatorSet{avs,id}. Its owner administers it; every EigenLayer call is
/// made with the real shapes, by this contract as the account (or by admins/appointees it names in the
/// PermissionController).
contract ProverMeshServiceManager {
    error NotOwner();

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    IAllocationManager public immutable allocationManager;
    IPermissionController public immutable permissionController;
    address public owner;

    constructor(IAllocationManager am, IPermissionController pc, address initialOwner) {
        allocationManager = am;
        permissionController = pc;
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function updateAVSMetadataURI(string calldata metadataURI) external onlyOwner {
        allocationManager.updateAVSMetadataURI(address(this), metadataURI);
    }

    function setAVSRegistrar(address registrar) external onlyOwner {
        allocationManager.setAVSRegistrar(address(this), registrar);
    }

    function createOperatorSets(CreateSetParamsV2[] calldata params) external onlyOwner {
        allocationManager.createOperatorSets(address(this), params);
    }

    function addStrategiesToOperatorSet(uint32 operatorSetId, address[] calldata strategies) external onlyOwner {
        allocationManager.addStrategiesToOperatorSet(address(this), operatorSetId, strategies);
    }

    function removeStrategiesFromOperatorSet(uint32 operatorSetId, address[] calldata strategies) external onlyOwner {
        allocationManager.removeStrategiesFromOperatorSet(address(this), operatorSetId, strategies);
    }

    /// Ejection: the AVS may deregister an operator (it stays slashable for DEALLOCATION_DELAY).
    function deregisterOperatorFromOperatorSets(address operator, uint32[] calldata operatorSetIds) external onlyOwner {
        allocationManager.deregisterFromOperatorSets(DeregisterParams(operator, address(this), operatorSetIds));
    }

    /// PermissionController: once an admin accepts, only admins act for this AVS (EigenLayer semantics).
    function addPendingAdmin(address admin) external onlyOwner {
        permissionController.addPendingAdmin(address(this), admin);
    }

    function setAppointee(address appointee, address target, bytes4 selector) external onlyOwner {
        permissionController.setAppointee(address(this), appointee, target, selector);
    }
}

/// IAVSRegistrar: AllocationManager calls it on (de)registration. Registration data is
/// abi.encode(string peerId, bytes peerSignature): the operator's libp2p peer id and that peer key's
/// signature over PEER_PREFIX || keccak256(abi.encode(chainid, registrar, operator)), which nodes check
/// off chain (the EVM has no Ed25519). The contract does not make peer ids unique: a squatter could then
/// block a peer by naming it first; nodes instead ignore entries whose peer signature does not verify.
contract ProverMeshRegistrar {
    error OnlyAllocationManager();
    error WrongAVS();
    error NotAllocated(uint32 operatorSetId);
    error BadPeerId();
    error BadPeerSignature();
    error NotRegistered();

    event OperatorRegistered(address indexed operator, uint32[] operatorSetIds);
    event OperatorDeregistered(address indexed operator, uint32[] operatorSetIds);
    event PeerUpdated(address indexed operator, string peerId, bytes peerSignature, uint64 version);

    struct Peer {
        string peerId;
        bytes peerSignature;
        uint64 version;
    }

    IAllocationManager public immutable allocationManager;
    address public immutable avs;
    /// Raw strategy shares an operator must have allocated to a set to register into it.
    uint256 public immutable minimumAllocatedShares;

    address[] private _operators;
    mapping(address => uint256) private _indexPlusOne;
    mapping(address => uint32) private _setsJoined;
    mapping(address => Peer) private _peers;

    constructor(IAllocationManager am, address avsAddress, uint256 minimumShares) {
        allocationManager = am;
        avs = avsAddress;
        minimumAllocatedShares = minimumShares;
    }

    function supportsAVS(address avsAddress) external view returns (bool) {
        return avsAddress == avs;
    }

    function registerOperator(address operator, address avsAddress, uint32[] calldata operatorSetIds, bytes calldata data)
        external
    {
        if (msg.sender != address(allocationManager)) revert OnlyAllocationManager();
        if (avsAddress != avs) revert WrongAVS();
        address[] memory one = new address[](1);
        one[0] = operator;
        for (uint256 i = 0; i < operatorSetIds.length; i++) {
            OperatorSet memory set = OperatorSet(avs, operatorSetIds[i]);
            uint256[][] memory stake =
                allocationManager.getAllocatedStake(set, one, allocationManager.getStrategiesInOperatorSet(set));
            uint256 total = 0;
            for (uint256 j = 0; j < stake[0].length; j++) total += stake[0][j];
            if (total == 0 || total < minimumAllocatedShares) revert NotAllocated(operatorSetIds[i]);
        }
        _setsJoined[operator] += uint32(operatorSetIds.length);
        if (_indexPlusOne[operator] == 0) {
            _operators.push(operator);
            _indexPlusOne[operator] = _operators.length;
        }
        emit OperatorRegistered(operator, operatorSetIds);
        _setPeer(operator, data);
    }

    function deregisterOperator(address operator, address avsAddress, uint32[] calldata operatorSetIds) external {
        if (msg.sender != address(allocationManager)) revert OnlyAllocationManager();
        if (avsAddress != avs) revert WrongAVS();
        _setsJoined[operator] -= uint32(operatorSetIds.length);
        emit OperatorDeregistered(operator, operatorSetIds);
        if (_setsJoined[operator] == 0) {
            uint256 indexPlusOne = _indexPlusOne[operator];
            address last = _operators[_operators.length - 1];
            _operators[indexPlusOne - 1] = last;
            _indexPlusOne[last] = indexPlusOne;
            _operators.pop();
            delete _indexPlusOne[operator];
            delete _peers[operator].peerId;
            delete _peers[operator].peerSignature;
        }
    }

    /// Rotation: a registered operator names a new peer (same data encoding as registration).
    function updatePeer(bytes calldata data) external {
        if (_indexPlusOne[msg.sender] == 0) revert NotRegistered();
        _setPeer(msg.sender, data);
    }

    function peerOf(address operator) external view returns (string memory peerId, bytes memory peerSignature, uint64 version) {
        Peer storage p = _peers[operator];
        return (p.peerId, p.peerSignature, p.version);
    }

    /// Every registered operator with its current peer, in one call.
    function operatorPeers()
        external
        view
        returns (address[] memory operators, string[] memory peerIds, bytes[] memory peerSignatures)
    {
        operators = _operators;
        peerIds = new string[](operators.length);
        peerSignatures = new bytes[](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            peerIds[i] = _peers[operators[i]].peerId;
            peerSignatures[i] = _peers[operators[i]].peerSignature;
        }
    }

    function _setPeer(address operator, bytes calldata data) private {
        (string memory peerId, bytes memory peerSignature) = abi.decode(data, (string, bytes));
        if (bytes(peerId).length == 0 || bytes(peerId).length > 128) revert BadPeerId();
        if (peerSignature.length == 0 || peerSignature.length > 128) revert BadPeerSignature();
        Peer storage p = _peers[operator];
        p.peerId = peerId;
        p.peerSignature = peerSignature;
        p.version += 1;
        emit PeerUpdated(operator, peerId, peerSignature, p.version);
    }
}

/// Stake-weighted quorum of our operator set: EIP-712 signatures by distinct members (ascending
/// addresses) whose minimum slashable stake, summed over the set's strategies in raw shares, reaches
/// thresholdBps of the members' total, read at the block of execution.
abstract contract StakeQuorum {
    error InsufficientQuorum(uint256 signed, uint256 total);
    error BadSignature(uint256 index);
    error SignersNotAscending(uint256 index);
    error SignerNotMember(address signer);
    error SignerExcluded(address signer);

    IAllocationManager public immutable allocationManager;
    address public immutable avs;
    uint32 public immutable operatorSetId;
    uint16 public immutable thresholdBps;
    bytes32 public immutable DOMAIN_SEPARATOR;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    constructor(IAllocationManager am, address avsAddress, uint32 setId, uint16 threshold) {
        require(threshold > 0 && threshold <= 10_000, "threshold");
        allocationManager = am;
        avs = avsAddress;
        operatorSetId = setId;
        thresholdBps = threshold;
        DOMAIN_SEPARATOR = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("ProverMesh"), keccak256("1"), block.chainid, address(this))
        );
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR, structHash));
    }

    /// Reverts unless `signatures` are a quorum over `structHash`; `excluded` may not sign (the accused).
    function _requireQuorum(bytes32 structHash, bytes[] calldata signatures, address excluded) internal view {
        bytes32 digest = _digest(structHash);
        OperatorSet memory set = OperatorSet(avs, operatorSetId);
        address[] memory strategies = allocationManager.getStrategiesInOperatorSet(set);
        address[] memory signers = new address[](signatures.length);
        for (uint256 i = 0; i < signatures.length; i++) {
            address signer = _recover(digest, signatures[i], i);
            if (i > 0 && uint160(signer) <= uint160(signers[i - 1])) revert SignersNotAscending(i);
            if (signer == excluded) revert SignerExcluded(signer);
            if (!allocationManager.isMemberOfOperatorSet(signer, set)) revert SignerNotMember(signer);
            signers[i] = signer;
        }
        uint32 now_ = uint32(block.number);
        uint256 signed = _sum(allocationManager.getMinimumSlashableStake(set, signers, strategies, now_));
        uint256 total = _sum(allocationManager.getMinimumSlashableStake(set, allocationManager.getMembers(set), strategies, now_));
        if (total == 0 || signed * 10_000 < total * thresholdBps) revert InsufficientQuorum(signed, total);
    }

    function _sum(uint256[][] memory m) private pure returns (uint256 s) {
        for (uint256 i = 0; i < m.length; i++) for (uint256 j = 0; j < m[i].length; j++) s += m[i][j];
    }

    function _recover(bytes32 digest, bytes calldata sig, uint256 index) private pure returns (address signer) {
        if (sig.length != 65) revert BadSignature(index);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert BadSignature(index);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert BadSignature(index);
    }
}

/// Client escrow in one ERC-20. Balances are internal (pull payments): deposits, refunds, operator
/// earnings and the treasury share all credit `balanceOf`, and `withdraw` moves tokens out.
contract ProverMeshEscrow is StakeQuorum {
    error ZeroAmount();
    error InsufficientBalance(uint256 available, uint256 needed);
    error TaskExists(bytes32 taskId);
    error TaskNotLocked(bytes32 taskId);
    error TaskExpired(bytes32 taskId);
    error TaskNotExpired(bytes32 taskId);
    error BadExpiry();
    error LengthMismatch();
    error AmountsDoNotAddUp(uint256 statement, uint256 locked);
    error TransferFailed();

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event TaskLocked(bytes32 indexed taskId, address indexed client, uint256 amount, uint64 expiresAt);
    event TaskSettled(bytes32 indexed taskId, bytes32 rootProofHash, uint256 operatorsPaid, uint256 treasuryAmount, uint256 refund);
    event OperatorPaid(bytes32 indexed taskId, address indexed operator, uint256 amount);
    event TaskRefunded(bytes32 indexed taskId, address indexed client, uint256 amount);

    enum State {
        None,
        Locked,
        Settled,
        Refunded
    }

    struct Task {
        address client;
        uint64 expiresAt;
        State state;
        uint256 locked;
    }

    struct Settlement {
        bytes32 taskId;
        bytes32 rootProofHash;
        address[] operators;
        uint256[] amounts;
        uint256 treasuryAmount;
        uint256 refund;
    }

    bytes32 public constant SETTLEMENT_TYPEHASH = keccak256(
        "Settlement(bytes32 taskId,bytes32 rootProofHash,address[] operators,uint256[] amounts,uint256 treasuryAmount,uint256 refund)"
    );

    IERC20 public immutable token;
    address public immutable treasury;
    mapping(address => uint256) public balanceOf;
    mapping(bytes32 => Task) public tasks;

    constructor(IAllocationManager am, address avsAddress, uint32 setId, uint16 threshold, IERC20 paymentToken, address treasuryAddress)
        StakeQuorum(am, avsAddress, setId, threshold)
    {
        token = paymentToken;
        treasury = treasuryAddress;
    }

    function deposit(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        balanceOf[msg.sender] += amount;
        emit Deposited(msg.sender, amount);
    }

    function withdraw(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 available = balanceOf[msg.sender];
        if (available < amount) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
        if (!token.transfer(msg.sender, amount)) revert TransferFailed();
        emit Withdrawn(msg.sender, amount);
    }

    /// The client itself locks a task's budget (max price x units of the plan) until `expiresAt`.
    function lock(bytes32 taskId, uint256 amount, uint64 expiresAt) external {
        if (amount == 0) revert ZeroAmount();
        if (tasks[taskId].state != State.None) revert TaskExists(taskId);
        if (expiresAt <= block.timestamp) revert BadExpiry();
        uint256 available = balanceOf[msg.sender];
        if (available < amount) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
        tasks[taskId] = Task(msg.sender, expiresAt, State.Locked, amount);
        emit TaskLocked(taskId, msg.sender, amount, expiresAt);
    }

    function settlementHash(Settlement calldata s) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SETTLEMENT_TYPEHASH,
                s.taskId,
                s.rootProofHash,
                keccak256(abi.encodePacked(s.operators)),
                keccak256(abi.encodePacked(s.amounts)),
                s.treasuryAmount,
                s.refund
            )
        );
    }

    function settlementDigest(Settlement calldata s) external view returns (bytes32) {
        return _digest(settlementHash(s));
    }

    /// Pays a locked task per a statement signed by a stake quorum; the amounts must add up to the lock.
    function settle(Settlement calldata s, bytes[] calldata signatures) external {
        Task storage t = tasks[s.taskId];
        if (t.state != State.Locked) revert TaskNotLocked(s.taskId);
        if (block.timestamp >= t.expiresAt) revert TaskExpired(s.taskId);
        if (s.operators.length != s.amounts.length) revert LengthMismatch();
        uint256 paid = 0;
        for (uint256 i = 0; i < s.amounts.length; i++) paid += s.amounts[i];
        if (paid + s.treasuryAmount + s.refund != t.locked) revert AmountsDoNotAddUp(paid + s.treasuryAmount + s.refund, t.locked);
        _requireQuorum(settlementHash(s), signatures, address(0));
        t.state = State.Settled;
        for (uint256 i = 0; i < s.operators.length; i++) {
            balanceOf[s.operators[i]] += s.amounts[i];
            emit OperatorPaid(s.taskId, s.operators[i], s.amounts[i]);
        }
        balanceOf[treasury] += s.treasuryAmount;
        balanceOf[t.client] += s.refund;
        emit TaskSettled(s.taskId, s.rootProofHash, paid, s.treasuryAmount, s.refund);
    }

    /// After expiry, anyone may return an unsettled lock to its client.
    function refundExpired(bytes32 taskId) external {
        Task storage t = tasks[taskId];
        if (t.state != State.Locked) revert TaskNotLocked(taskId);
        if (block.timestamp < t.expiresAt) revert TaskNotExpired(taskId);
        t.state = State.Refunded;
        balanceOf[t.client] += t.locked;
        emit TaskRefunded(taskId, t.client, t.locked);
    }
}

/// Slashes through AllocationManager.slashOperator (this contract is the set's slasher) when a stake
/// quorum signs a request naming verifiable evidence (its sha256 id). Each evidence id slashes once;
/// the slashed fraction is fixed per kind, so signers attest only to the evidence, not to an amount.
contract ProverMeshSlasher is StakeQuorum {
    error EvidenceUsed(bytes32 evidenceId);
    error UnknownKind(uint8 kind);

    event SlashExecuted(address indexed operator, bytes32 indexed evidenceId, uint8 kind, uint256 wadToSlash, uint256 slashId);

    /// 1 = INVALID_PROOF (an invalid proof under the prover's signature), 2 = EQUIVOCATION (two seals).
    uint8 public constant INVALID_PROOF = 1;
    uint8 public constant EQUIVOCATION = 2;

    struct SlashRequest {
        address operator;
        bytes32 evidenceId;
        uint8 kind;
    }

    bytes32 public constant SLASH_TYPEHASH = keccak256("SlashRequest(address operator,bytes32 evidenceId,uint8 kind)");

    uint256 public immutable invalidProofWad;
    uint256 public immutable equivocationWad;
    mapping(bytes32 => bool) public evidenceUsed;

    constructor(IAllocationManager am, address avsAddress, uint32 setId, uint16 threshold, uint256 invalidWad, uint256 equivocWad)
        StakeQuorum(am, avsAddress, setId, threshold)
    {
        invalidProofWad = invalidWad;
        equivocationWad = equivocWad;
    }

    function slashHash(SlashRequest calldata r) public pure returns (bytes32) {
        return keccak256(abi.encode(SLASH_TYPEHASH, r.operator, r.evidenceId, r.kind));
    }

    function slashDigest(SlashRequest calldata r) external view returns (bytes32) {
        return _digest(slashHash(r));
    }

    function slash(SlashRequest calldata r, bytes[] calldata signatures) external returns (uint256 slashId) {
        uint256 wad = r.kind == INVALID_PROOF ? invalidProofWad : r.kind == EQUIVOCATION ? equivocationWad : 0;
        if (wad == 0) revert UnknownKind(r.kind);
        if (evidenceUsed[r.evidenceId]) revert EvidenceUsed(r.evidenceId);
        _requireQuorum(slashHash(r), signatures, r.operator);
        evidenceUsed[r.evidenceId] = true;
        address[] memory strategies = allocationManager.getStrategiesInOperatorSet(OperatorSet(avs, operatorSetId));
        // slashOperator wants strategies in ascending order.
        for (uint256 i = 1; i < strategies.length; i++) {
            address s = strategies[i];
            uint256 j = i;
            while (j > 0 && uint160(strategies[j - 1]) > uint160(s)) {
                strategies[j] = strategies[j - 1];
                j--;
            }
            strategies[j] = s;
        }
        uint256[] memory wads = new uint256[](strategies.length);
        for (uint256 i = 0; i < wads.length; i++) wads[i] = wad;
        (slashId,) = allocationManager.slashOperator(
            avs,
            SlashingParams(r.operator, operatorSetId, strategies, wads, r.kind == INVALID_PROOF ? "prover-mesh: invalid proof" : "prover-mesh: equivocation")
        );
        emit SlashExecuted(r.operator, r.evidenceId, r.kind, wad, slashId);
    }
}
