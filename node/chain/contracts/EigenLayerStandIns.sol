// SPDX-License-Identifier: MIT
// Local-chain stand-ins for the EigenLayer contracts the prover-mesh stake oracle reads.
// Written for prover-mesh; they reproduce the read interface, return types and event declarations of
// Layr-Labs/eigenlayer-contracts v1.12.0 exactly (selectors and topics are derived from them), so the
// node's viem code is the same against anvil and mainnet. Functions prefixed `mock` are test-only
// controls (no access control: these contracts must never be deployed anywhere but a local chain).
pragma solidity ^0.8.27;

struct OperatorSet {
    address avs;
    uint32 id;
}

struct Allocation {
    uint64 currentMagnitude;
    int128 pendingDiff;
    uint32 effectBlock;
}

/// IAllocationManagerTypes, v1.12.0 (field types and order are what the selectors hash).
struct CreateSetParamsV2 {
    uint32 operatorSetId;
    address[] strategies;
    address slasher;
}

struct RegisterParams {
    address avs;
    uint32[] operatorSetIds;
    bytes data;
}

struct DeregisterParams {
    address operator;
    address avs;
    uint32[] operatorSetIds;
}

struct AllocateParams {
    OperatorSet operatorSet;
    address[] strategies;
    uint64[] newMagnitudes;
}

struct SlashingParams {
    address operator;
    uint32 operatorSetId;
    address[] strategies;
    uint256[] wadsToSlash;
    string description;
}

/// EigenLayer's IAVSRegistrar: what AllocationManager calls on (de)registration.
interface IAVSRegistrar {
    function registerOperator(address operator, address avs, uint32[] calldata operatorSetIds, bytes calldata data) external;
    function deregisterOperator(address operator, address avs, uint32[] calldata operatorSetIds) external;
    function supportsAVS(address avs) external view returns (bool);
}

uint64 constant WAD = 1e18;

/// A strategy whose shares convert to underlying tokens at a fixed rate (WAD = 1:1).
contract StandInStrategy {
    address public immutable underlyingToken;
    uint256 public immutable rateWad;
    uint256 public totalShares;

    constructor(address token, uint256 rate) {
        underlyingToken = token;
        rateWad = rate;
    }

    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256) {
        return (amountShares * rateWad) / WAD;
    }
}

contract StandInDelegationManager {
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event OperatorSharesIncreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesDecreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesSlashed(address indexed operator, address strategy, uint256 totalSlashedShares);

    mapping(address => bool) private _isOperator;
    /// Wired once by the AllocationManager's constructor (real EL: immutables set at deployment).
    StandInAllocationManager public allocationManager;
    /// Public mapping getter: `operatorShares(address,address)`, as in DelegationManagerStorage.
    mapping(address => mapping(address => uint256)) public operatorShares;

    function isOperator(address operator) public view returns (bool) {
        return _isOperator[operator];
    }

    /// Operators are delegated to themselves; unknown addresses to nobody.
    function delegatedTo(address staker) external view returns (address) {
        return _isOperator[staker] ? staker : address(0);
    }

    function getOperatorShares(address operator, address[] memory strategies) public view returns (uint256[] memory shares) {
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) shares[i] = operatorShares[operator][strategies[i]];
    }

    function getOperatorsShares(address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory shares)
    {
        shares = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) shares[i] = getOperatorShares(operators[i], strategies);
    }

    function wireAllocationManager() external {
        require(address(allocationManager) == address(0), "wired");
        allocationManager = StandInAllocationManager(msg.sender);
    }

    /// Real flow: the caller becomes an operator; its allocation delay applies at once (newly registered).
    function registerAsOperator(address initDelegationApprover, uint32 allocationDelay, string calldata metadataURI) external {
        require(!_isOperator[msg.sender], "ActivelyDelegated");
        _isOperator[msg.sender] = true;
        emit OperatorRegistered(msg.sender, initDelegationApprover);
        allocationManager.setAllocationDelay(msg.sender, allocationDelay);
        metadataURI;
    }

    /// The AVS slashing path (v1.12.0 DM:279-313): shares fall by the max-magnitude ratio; emits
    /// OperatorSharesDecreased (staker 0) and then OperatorSharesSlashed.
    function slashOperatorShares(
        address operator,
        OperatorSet calldata operatorSet,
        uint256 slashId,
        address strategy,
        uint64 prevMaxMagnitude,
        uint64 newMaxMagnitude
    ) external returns (uint256 totalDepositSharesToSlash) {
        require(msg.sender == address(allocationManager), "OnlyAllocationManager");
        operatorSet;
        slashId;
        uint256 shares = operatorShares[operator][strategy];
        uint256 kept = (shares * newMaxMagnitude) / prevMaxMagnitude;
        totalDepositSharesToSlash = shares - kept;
        operatorShares[operator][strategy] = kept;
        emit OperatorSharesDecreased(operator, address(0), strategy, totalDepositSharesToSlash);
        emit OperatorSharesSlashed(operator, strategy, totalDepositSharesToSlash);
    }

    function mockRegisterOperator(address operator) public {
        if (_isOperator[operator]) return;
        _isOperator[operator] = true;
        emit OperatorRegistered(operator, address(0));
    }

    /// Sets an operator's delegated shares, emitting the real delta events (staker = operator itself).
    function mockSetShares(address operator, address strategy, uint256 shares) public {
        uint256 previous = operatorShares[operator][strategy];
        operatorShares[operator][strategy] = shares;
        if (shares > previous) emit OperatorSharesIncreased(operator, operator, strategy, shares - previous);
        if (shares < previous) emit OperatorSharesDecreased(operator, operator, strategy, previous - shares);
    }

    /// The AVS slashing path: lowers shares and emits OperatorSharesSlashed, not OperatorSharesDecreased.
    function mockSlashShares(address operator, address strategy, uint256 slashedShares) external {
        operatorShares[operator][strategy] -= slashedShares;
        emit OperatorSharesSlashed(operator, strategy, slashedShares);
    }
}

/// EigenLayer's PermissionController (v1.12.0 semantics): an account with no admins is its own admin;
/// once admins exist only they are; appointees may call one (target, selector) each.
contract StandInPermissionController {
    error NotAdmin();
    error AdminNotPending();
    error AdminAlreadyPending();

    event PendingAdminAdded(address indexed account, address admin);
    event AdminSet(address indexed account, address admin);
    event AppointeeSet(address indexed account, address indexed appointee, address target, bytes4 selector);

    mapping(address => address[]) private _admins;
    mapping(address => mapping(address => bool)) private _isListedAdmin;
    mapping(address => mapping(address => bool)) private _pending;
    mapping(address => mapping(address => mapping(address => mapping(bytes4 => bool)))) private _appointed;

    modifier onlyAdmin(address account) {
        if (!isAdmin(account, msg.sender)) revert NotAdmin();
        _;
    }

    function isAdmin(address account, address caller) public view returns (bool) {
        if (_admins[account].length == 0) return account == caller;
        return _isListedAdmin[account][caller];
    }

    function addPendingAdmin(address account, address admin) external onlyAdmin(account) {
        if (_pending[account][admin]) revert AdminAlreadyPending();
        _pending[account][admin] = true;
        emit PendingAdminAdded(account, admin);
    }

    function acceptAdmin(address account) external {
        if (!_pending[account][msg.sender]) revert AdminNotPending();
        delete _pending[account][msg.sender];
        _admins[account].push(msg.sender);
        _isListedAdmin[account][msg.sender] = true;
        emit AdminSet(account, msg.sender);
    }

    function setAppointee(address account, address appointee, address target, bytes4 selector) external onlyAdmin(account) {
        _appointed[account][appointee][target][selector] = true;
        emit AppointeeSet(account, appointee, target, selector);
    }

    function canCall(address account, address caller, address target, bytes4 selector) external view returns (bool) {
        return isAdmin(account, caller) || _appointed[account][caller][target][selector];
    }
}

contract StandInAllocationManager {
    // IAllocationManagerErrors names (v1.12.0).
    error InvalidPermissions();
    error InvalidCaller();
    error InvalidOperator();
    error InvalidOperatorSet();
    error InvalidAVSRegistrar();
    error NonexistentAVSMetadata();
    error AlreadyMemberOfSet();
    error NotMemberOfSet();
    error InputArrayLengthMismatch();
    error OperatorNotSlashable();
    error InvalidWadToSlash();
    error StrategiesMustBeInAscendingOrder();
    error StrategyNotInOperatorSet();
    error StrategyAlreadyInOperatorSet();
    error UninitializedAllocationDelay();
    error ModificationAlreadyPending();
    error SameMagnitude();
    error InsufficientMagnitude();

    event AVSMetadataURIUpdated(address indexed avs, string metadataURI);
    event AVSRegistrarSet(address avs, address registrar);
    event SlasherUpdated(OperatorSet operatorSet, address slasher, uint32 effectBlock);
    event AllocationDelaySet(address operator, uint32 delay, uint32 effectBlock);
    event StrategyRemovedFromOperatorSet(OperatorSet operatorSet, address strategy);
    event OperatorSetCreated(OperatorSet operatorSet);
    event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet);
    event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock);
    event MaxMagnitudeUpdated(address operator, address strategy, uint64 maxMagnitude);
    event OperatorSlashed(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description);
    event StrategyAddedToOperatorSet(OperatorSet operatorSet, address strategy);

    StandInDelegationManager public immutable delegation;
    StandInPermissionController public immutable permissionController;
    uint32 public immutable DEALLOCATION_DELAY;
    uint32 public immutable ALLOCATION_CONFIGURATION_DELAY;

    struct DelayInfo {
        uint32 delay;
        bool isSet;
        uint32 pendingDelay;
        uint32 effectBlock;
    }

    mapping(address => bool) private _avsHasMetadata;
    mapping(address => address) private _registrar;
    mapping(bytes32 => address) private _slasher;
    mapping(bytes32 => uint256) private _slashCount;
    mapping(address => DelayInfo) private _delays;
    mapping(bytes32 => mapping(address => bool)) private _strategyInSet;

    mapping(bytes32 => bool) private _setExists;
    mapping(bytes32 => address[]) private _members;
    mapping(bytes32 => mapping(address => uint256)) private _memberIndexPlusOne;
    mapping(bytes32 => address[]) private _strategies;
    /// Block until which a removed operator stays slashable (real EL: DEALLOCATION_DELAY after removal).
    mapping(bytes32 => mapping(address => uint32)) private _slashableUntil;
    mapping(address => mapping(bytes32 => mapping(address => Allocation))) private _allocations;
    /// Stored as WAD - maxMagnitude so that the zero default means "never slashed" (WAD), as in EL.
    mapping(address => mapping(address => uint64)) private _maxMagnitudeLost;

    constructor(StandInDelegationManager delegationManager, uint32 deallocationDelay, uint32 allocationConfigurationDelay) {
        delegation = delegationManager;
        DEALLOCATION_DELAY = deallocationDelay;
        ALLOCATION_CONFIGURATION_DELAY = allocationConfigurationDelay;
        permissionController = new StandInPermissionController();
        delegationManager.wireAllocationManager();
    }

    /// PermissionControllerMixin._checkCanCall: the account itself (while it has no admins), an admin, or an appointee.
    modifier checkCanCall(address account) {
        if (!permissionController.canCall(account, msg.sender, address(this), msg.sig)) revert InvalidPermissions();
        _;
    }

    // ---- writes (EigenLayer IAllocationManager, the flows our AVS and operators use) ----

    function updateAVSMetadataURI(address avs, string calldata metadataURI) external checkCanCall(avs) {
        _avsHasMetadata[avs] = true;
        emit AVSMetadataURIUpdated(avs, metadataURI);
    }

    function setAVSRegistrar(address avs, IAVSRegistrar registrar) external checkCanCall(avs) {
        if (!registrar.supportsAVS(avs)) revert InvalidAVSRegistrar();
        _registrar[avs] = address(registrar);
        emit AVSRegistrarSet(avs, address(registrar));
    }

    /// Without a registrar, calls go to the AVS address itself (AMV:402-408).
    function getAVSRegistrar(address avs) public view returns (IAVSRegistrar) {
        address r = _registrar[avs];
        return IAVSRegistrar(r == address(0) ? avs : r);
    }

    function createOperatorSets(address avs, CreateSetParamsV2[] calldata params) external checkCanCall(avs) {
        if (!_avsHasMetadata[avs]) revert NonexistentAVSMetadata();
        for (uint256 i = 0; i < params.length; i++) {
            OperatorSet memory set = OperatorSet(avs, params[i].operatorSetId);
            bytes32 key = _key(set);
            if (_setExists[key]) revert InvalidOperatorSet();
            _setExists[key] = true;
            emit OperatorSetCreated(set);
            for (uint256 j = 0; j < params[i].strategies.length; j++) _addStrategy(set, key, params[i].strategies[j]);
            _slasher[key] = params[i].slasher;
            emit SlasherUpdated(set, params[i].slasher, uint32(block.number));
        }
    }

    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external checkCanCall(avs) {
        OperatorSet memory set = OperatorSet(avs, operatorSetId);
        bytes32 key = _key(set);
        if (!_setExists[key]) revert InvalidOperatorSet();
        for (uint256 i = 0; i < strategies.length; i++) _addStrategy(set, key, strategies[i]);
    }

    function removeStrategiesFromOperatorSet(address avs, uint32 operatorSetId, address[] calldata strategies) external checkCanCall(avs) {
        OperatorSet memory set = OperatorSet(avs, operatorSetId);
        bytes32 key = _key(set);
        if (!_setExists[key]) revert InvalidOperatorSet();
        for (uint256 i = 0; i < strategies.length; i++) {
            if (!_strategyInSet[key][strategies[i]]) revert StrategyNotInOperatorSet();
            delete _strategyInSet[key][strategies[i]];
            address[] storage list = _strategies[key];
            for (uint256 j = 0; j < list.length; j++) {
                if (list[j] == strategies[i]) {
                    list[j] = list[list.length - 1];
                    list.pop();
                    break;
                }
            }
            emit StrategyRemovedFromOperatorSet(set, strategies[i]);
        }
    }

    function getSlasher(OperatorSet memory operatorSet) public view returns (address) {
        return _slasher[_key(operatorSet)];
    }

    /// Registration: the operator (or its appointee) joins sets; the AVS's registrar is called and may refuse.
    function registerForOperatorSets(address operator, RegisterParams calldata params) external checkCanCall(operator) {
        if (!delegation.isOperator(operator)) revert InvalidOperator();
        for (uint256 i = 0; i < params.operatorSetIds.length; i++) {
            OperatorSet memory set = OperatorSet(params.avs, params.operatorSetIds[i]);
            bytes32 key = _key(set);
            if (!_setExists[key]) revert InvalidOperatorSet();
            // Real EL: no re-join while still slashable from an earlier membership (AM:193).
            if (_memberIndexPlusOne[key][operator] != 0 || block.number <= _slashableUntil[key][operator]) {
                revert AlreadyMemberOfSet();
            }
            _addMember(key, operator, set);
        }
        getAVSRegistrar(params.avs).registerOperator(operator, params.avs, params.operatorSetIds, params.data);
    }

    /// Deregistration by the operator or the AVS; the operator stays slashable for DEALLOCATION_DELAY.
    function deregisterFromOperatorSets(DeregisterParams calldata params) external {
        if (
            !permissionController.canCall(params.operator, msg.sender, address(this), msg.sig) &&
            !permissionController.canCall(params.avs, msg.sender, address(this), msg.sig)
        ) revert InvalidCaller();
        for (uint256 i = 0; i < params.operatorSetIds.length; i++) {
            OperatorSet memory set = OperatorSet(params.avs, params.operatorSetIds[i]);
            bytes32 key = _key(set);
            if (!_setExists[key]) revert InvalidOperatorSet();
            if (_memberIndexPlusOne[key][params.operator] == 0) revert NotMemberOfSet();
            _removeMember(key, params.operator, set);
        }
        getAVSRegistrar(params.avs).deregisterOperator(params.operator, params.avs, params.operatorSetIds);
    }

    /// A newly registered operator's delay (set by the DelegationManager) applies at once; a later change
    /// after ALLOCATION_CONFIGURATION_DELAY + 1 blocks (AM:239-254, 592-621).
    function setAllocationDelay(address operator, uint32 delay) external {
        uint32 effectBlock = uint32(block.number);
        if (msg.sender != address(delegation)) {
            if (!permissionController.canCall(operator, msg.sender, address(this), msg.sig)) revert InvalidPermissions();
            if (!delegation.isOperator(operator)) revert InvalidOperator();
            effectBlock = uint32(block.number) + ALLOCATION_CONFIGURATION_DELAY + 1;
        }
        DelayInfo memory info = _currentDelay(operator);
        info.pendingDelay = delay;
        info.effectBlock = effectBlock;
        _delays[operator] = info;
        emit AllocationDelaySet(operator, delay, effectBlock);
    }

    function getAllocationDelay(address operator) external view returns (bool isSet, uint32 delay) {
        DelayInfo memory info = _currentDelay(operator);
        return (info.isSet, info.delay);
    }

    /// Allocations take effect after the operator's allocation delay; deallocations of slashable
    /// magnitude after DEALLOCATION_DELAY + 1 blocks, of unslashable magnitude at once (AM:78-166).
    function modifyAllocations(address operator, AllocateParams[] calldata params) external checkCanCall(operator) {
        DelayInfo memory info = _currentDelay(operator);
        if (!info.isSet) revert UninitializedAllocationDelay();
        for (uint256 i = 0; i < params.length; i++) {
            if (params[i].strategies.length != params[i].newMagnitudes.length) revert InputArrayLengthMismatch();
            bytes32 key = _key(params[i].operatorSet);
            if (!_setExists[key]) revert InvalidOperatorSet();
            for (uint256 j = 0; j < params[i].strategies.length; j++) {
                address strategy = params[i].strategies[j];
                Allocation storage stored = _allocations[operator][key][strategy];
                Allocation memory a = _updated(stored);
                if (a.pendingDiff != 0) revert ModificationAlreadyPending();
                uint64 target = params[i].newMagnitudes[j];
                if (target == a.currentMagnitude) revert SameMagnitude();
                if (target > _maxMagnitude(operator, strategy)) revert InsufficientMagnitude();
                if (target > a.currentMagnitude) {
                    a.pendingDiff = int128(uint128(target - a.currentMagnitude));
                    a.effectBlock = uint32(block.number) + info.delay;
                } else if (
                    _strategyInSet[key][strategy] && isOperatorSlashable(operator, params[i].operatorSet) && a.currentMagnitude != 0
                ) {
                    a.pendingDiff = -int128(uint128(a.currentMagnitude - target));
                    a.effectBlock = uint32(block.number) + DEALLOCATION_DELAY + 1;
                } else {
                    a.currentMagnitude = target;
                    a.effectBlock = uint32(block.number);
                }
                a = _updated(a);
                stored.currentMagnitude = a.currentMagnitude;
                stored.pendingDiff = a.pendingDiff;
                stored.effectBlock = a.effectBlock;
                emit AllocationUpdated(operator, params[i].operatorSet, strategy, target, a.effectBlock);
            }
        }
    }

    /// Only the set's slasher, only a slashable operator, strategies ascending and in the set,
    /// 0 < wad <= 1e18; wadSlashed = slashed magnitude / max magnitude (AM:61-75, 410-499).
    function slashOperator(address avs, SlashingParams calldata params)
        external
        returns (uint256 slashId, uint256[] memory shares)
    {
        OperatorSet memory set = OperatorSet(avs, params.operatorSetId);
        bytes32 key = _key(set);
        if (!_setExists[key]) revert InvalidOperatorSet();
        if (msg.sender != _slasher[key]) revert InvalidCaller();
        if (params.strategies.length != params.wadsToSlash.length) revert InputArrayLengthMismatch();
        if (!isOperatorSlashable(params.operator, set)) revert OperatorNotSlashable();
        slashId = ++_slashCount[key];
        shares = new uint256[](params.strategies.length);
        uint256[] memory wadSlashed = new uint256[](params.strategies.length);
        for (uint256 i = 0; i < params.strategies.length; i++) {
            address strategy = params.strategies[i];
            if (i > 0 && uint160(strategy) <= uint160(params.strategies[i - 1])) revert StrategiesMustBeInAscendingOrder();
            if (!_strategyInSet[key][strategy]) revert StrategyNotInOperatorSet();
            if (params.wadsToSlash[i] == 0 || params.wadsToSlash[i] > WAD) revert InvalidWadToSlash();
            Allocation storage stored = _allocations[params.operator][key][strategy];
            Allocation memory a = _updated(stored);
            if (a.currentMagnitude == 0) continue;
            uint64 slashed = uint64((uint256(a.currentMagnitude) * params.wadsToSlash[i] + WAD - 1) / WAD);
            uint64 maxBefore = _maxMagnitude(params.operator, strategy);
            wadSlashed[i] = (uint256(slashed) * WAD) / maxBefore;
            a.currentMagnitude -= slashed;
            if (a.pendingDiff < 0) {
                uint128 pending = uint128(-a.pendingDiff);
                a.pendingDiff += int128(uint128((uint256(pending) * params.wadsToSlash[i] + WAD - 1) / WAD));
            }
            stored.currentMagnitude = a.currentMagnitude;
            stored.pendingDiff = a.pendingDiff;
            stored.effectBlock = a.effectBlock;
            _maxMagnitudeLost[params.operator][strategy] += slashed;
            emit AllocationUpdated(params.operator, set, strategy, a.currentMagnitude, uint32(block.number));
            emit MaxMagnitudeUpdated(params.operator, strategy, maxBefore - slashed);
            shares[i] = delegation.slashOperatorShares(params.operator, set, slashId, strategy, maxBefore, maxBefore - slashed);
        }
        emit OperatorSlashed(params.operator, set, params.strategies, wadSlashed, params.description);
    }

    // ---- reads (EigenLayer IAllocationManager) ----

    function isOperatorSet(OperatorSet memory operatorSet) external view returns (bool) {
        return _setExists[_key(operatorSet)];
    }

    function isMemberOfOperatorSet(address operator, OperatorSet memory operatorSet) public view returns (bool) {
        return _memberIndexPlusOne[_key(operatorSet)][operator] != 0;
    }

    function isOperatorSlashable(address operator, OperatorSet memory operatorSet) public view returns (bool) {
        return isMemberOfOperatorSet(operator, operatorSet) || block.number < _slashableUntil[_key(operatorSet)][operator];
    }

    function getMembers(OperatorSet memory operatorSet) external view returns (address[] memory operators) {
        return _members[_key(operatorSet)];
    }

    function getMemberCount(OperatorSet memory operatorSet) external view returns (uint256) {
        return _members[_key(operatorSet)].length;
    }

    function getStrategiesInOperatorSet(OperatorSet memory operatorSet) external view returns (address[] memory strategies) {
        return _strategies[_key(operatorSet)];
    }

    /// The allocation with any pending change whose effectBlock has passed applied (EL `_getUpdatedAllocation`).
    function getAllocation(address operator, OperatorSet memory operatorSet, address strategy)
        public
        view
        returns (Allocation memory)
    {
        return _updated(_allocations[operator][_key(operatorSet)][strategy]);
    }

    function getMaxMagnitudes(address operator, address[] calldata strategies) external view returns (uint64[] memory m) {
        m = new uint64[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) m[i] = _maxMagnitude(operator, strategies[i]);
    }

    /// Stake guaranteed slashable until futureBlock: pending deallocations effective by then are subtracted,
    /// pending allocations are not added, and operators that are not slashable get 0 (EL AllocationManagerView).
    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory slashableStake) {
        slashableStake = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            slashableStake[i] = new uint256[](strategies.length);
            if (!isOperatorSlashable(operators[i], operatorSet)) continue;
            for (uint256 j = 0; j < strategies.length; j++) {
                Allocation memory a = getAllocation(operators[i], operatorSet, strategies[j]);
                int256 magnitude = int256(uint256(a.currentMagnitude));
                if (a.pendingDiff < 0 && a.effectBlock <= futureBlock) magnitude += a.pendingDiff;
                slashableStake[i][j] = _stake(operators[i], strategies[j], uint256(magnitude));
            }
        }
    }

    /// Allocated stake at the current block, without the slashability check (EL semantics).
    function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory slashableStake)
    {
        slashableStake = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            slashableStake[i] = new uint256[](strategies.length);
            for (uint256 j = 0; j < strategies.length; j++) {
                uint64 magnitude = getAllocation(operators[i], operatorSet, strategies[j]).currentMagnitude;
                slashableStake[i][j] = _stake(operators[i], strategies[j], magnitude);
            }
        }
    }

    // ---- test-only controls (emit the real events so the node's log tailing is exercised) ----

    function mockCreateOperatorSet(OperatorSet memory operatorSet, address[] memory strategies) external {
        bytes32 key = _key(operatorSet);
        require(!_setExists[key], "set exists");
        _setExists[key] = true;
        emit OperatorSetCreated(operatorSet);
        for (uint256 i = 0; i < strategies.length; i++) _addStrategy(operatorSet, key, strategies[i]);
    }

    function mockAddToSet(address operator, OperatorSet memory operatorSet) public {
        bytes32 key = _key(operatorSet);
        require(_setExists[key], "no such set");
        require(delegation.isOperator(operator), "not an operator");
        if (_memberIndexPlusOne[key][operator] != 0) return;
        _addMember(key, operator, operatorSet);
    }

    function mockRemoveFromSet(address operator, OperatorSet memory operatorSet) external {
        bytes32 key = _key(operatorSet);
        require(_memberIndexPlusOne[key][operator] != 0, "not a member");
        _removeMember(key, operator, operatorSet);
    }

    /// Allocates (magnitude above current) or deallocates (below) taking effect at effectBlock; an
    /// effectBlock at or before the current block applies at once, like an allocation with zero delay.
    function mockAllocate(address operator, OperatorSet memory operatorSet, address strategy, uint64 magnitude, uint32 effectBlock)
        public
    {
        Allocation storage stored = _allocations[operator][_key(operatorSet)][strategy];
        Allocation memory a = _updated(stored);
        if (effectBlock <= block.number) {
            a.currentMagnitude = magnitude;
            a.pendingDiff = 0;
            a.effectBlock = uint32(block.number);
        } else {
            a.pendingDiff = int128(int256(uint256(magnitude))) - int128(int256(uint256(a.currentMagnitude)));
            a.effectBlock = effectBlock;
        }
        stored.currentMagnitude = a.currentMagnitude;
        stored.pendingDiff = a.pendingDiff;
        stored.effectBlock = a.effectBlock;
        emit AllocationUpdated(operator, operatorSet, strategy, magnitude, a.effectBlock);
    }

    /// Slashes wads[i] (WAD = 100 %) of the operator's current magnitude in each strategy, as EL's
    /// slashOperator does: magnitude and max magnitude drop by the same amount, and delegated shares
    /// drop by the slashed fraction (so other sets' ratios stay, this set's stake falls).
    function mockSlash(address operator, OperatorSet memory operatorSet, address[] memory strategies, uint256[] memory wads, string memory description)
        external
    {
        require(strategies.length == wads.length, "length mismatch");
        bytes32 key = _key(operatorSet);
        for (uint256 i = 0; i < strategies.length; i++) {
            Allocation storage stored = _allocations[operator][key][strategies[i]];
            Allocation memory a = _updated(stored);
            uint64 slashed = uint64((uint256(a.currentMagnitude) * wads[i] + WAD - 1) / WAD);
            uint64 maxBefore = _maxMagnitude(operator, strategies[i]);
            uint256 shares = delegation.operatorShares(operator, strategies[i]);
            uint256 slashedShares = (shares * slashed) / maxBefore;
            stored.currentMagnitude = a.currentMagnitude - slashed;
            stored.pendingDiff = a.pendingDiff;
            stored.effectBlock = a.effectBlock;
            _maxMagnitudeLost[operator][strategies[i]] += slashed;
            delegation.mockSlashShares(operator, strategies[i], slashedShares);
            emit MaxMagnitudeUpdated(operator, strategies[i], maxBefore - slashed);
        }
        emit OperatorSlashed(operator, operatorSet, strategies, wads, description);
    }

    /// Seeds many operators in one transaction: register, set shares, join the set, allocate at once.
    function mockSeedOperators(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint256[] memory shares,
        uint64 magnitude
    ) external {
        require(operators.length == shares.length, "length mismatch");
        for (uint256 i = 0; i < operators.length; i++) {
            delegation.mockRegisterOperator(operators[i]);
            if (!_delays[operators[i]].isSet) _delays[operators[i]] = DelayInfo(0, true, 0, 0);
            for (uint256 j = 0; j < strategies.length; j++) {
                delegation.mockSetShares(operators[i], strategies[j], shares[i]);
                mockAllocate(operators[i], operatorSet, strategies[j], magnitude, 0);
            }
            mockAddToSet(operators[i], operatorSet);
        }
    }

    // ---- internals ----

    function _addStrategy(OperatorSet memory set, bytes32 key, address strategy) private {
        if (_strategyInSet[key][strategy]) revert StrategyAlreadyInOperatorSet();
        _strategyInSet[key][strategy] = true;
        _strategies[key].push(strategy);
        emit StrategyAddedToOperatorSet(set, strategy);
    }

    function _addMember(bytes32 key, address operator, OperatorSet memory set) private {
        _members[key].push(operator);
        _memberIndexPlusOne[key][operator] = _members[key].length;
        emit OperatorAddedToOperatorSet(operator, set);
    }

    function _removeMember(bytes32 key, address operator, OperatorSet memory set) private {
        uint256 indexPlusOne = _memberIndexPlusOne[key][operator];
        address last = _members[key][_members[key].length - 1];
        _members[key][indexPlusOne - 1] = last;
        _memberIndexPlusOne[key][last] = indexPlusOne;
        _members[key].pop();
        delete _memberIndexPlusOne[key][operator];
        _slashableUntil[key][operator] = uint32(block.number) + DEALLOCATION_DELAY;
        emit OperatorRemovedFromOperatorSet(operator, set);
    }

    function _currentDelay(address operator) private view returns (DelayInfo memory info) {
        info = _delays[operator];
        if (info.effectBlock != 0 && info.effectBlock <= block.number) {
            info.delay = info.pendingDelay;
            info.isSet = true;
            info.effectBlock = 0;
        }
    }

    function _key(OperatorSet memory operatorSet) private pure returns (bytes32) {
        return keccak256(abi.encode(operatorSet.avs, operatorSet.id));
    }

    function _updated(Allocation memory a) private view returns (Allocation memory) {
        if (a.pendingDiff != 0 && a.effectBlock <= block.number) {
            a.currentMagnitude = uint64(uint256(int256(uint256(a.currentMagnitude)) + a.pendingDiff));
            a.pendingDiff = 0;
        }
        return a;
    }

    function _maxMagnitude(address operator, address strategy) private view returns (uint64) {
        return WAD - _maxMagnitudeLost[operator][strategy];
    }

    function _stake(address operator, address strategy, uint256 magnitude) private view returns (uint256) {
        uint64 maxMagnitude = _maxMagnitude(operator, strategy);
        if (maxMagnitude == 0) return 0;
        return (delegation.operatorShares(operator, strategy) * magnitude) / maxMagnitude;
    }
}

/// A smart-contract operator (a multisig or vault in real life) that approves what its owner signs,
/// via ERC-1271. Lets tests check that bindings of contract operators verify through the chain.
contract StandInContractOperator {
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    address public immutable owner;

    constructor(address contractOwner) {
        owner = contractOwner;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
        return ecrecover(hash, v, r, s) == owner ? ERC1271_MAGIC : bytes4(0xffffffff);
    }
}

/// A plain ERC-20 for the local chain's escrow (anyone may mint: local chain only).
contract StandInToken {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    string public constant name = "Local Proving Dollar";
    string public constant symbol = "LPD";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mockMint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
