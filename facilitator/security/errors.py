"""Key failures, each saying what happened and what the administrator can do about it."""

from __future__ import annotations

from pathlib import Path

from facilitator.storage.errors import StorageError

RECOVER_COMMAND = "facilitator --data-dir {folder} key recover"


def _recover(folder: Path) -> str:
    return RECOVER_COMMAND.format(folder=f'"{folder}"')


class MissingKeyError(StorageError):
    def __init__(self, folder: Path, looked_in: str) -> None:
        super().__init__(
            f"The encryption key of the clinic database in {folder} was not found in "
            f"{looked_in}. This happens after the keyring was cleared, on a new computer or "
            "user account, or when the data folder was copied from elsewhere. The database was "
            "left untouched. Restore the key with the administrator's recovery code (the code "
            f"shown once when the clinic was set up): {_recover(folder)}"
        )
        self.folder = folder


class WrongKeyError(StorageError):
    def __init__(self, folder: Path, found_in: str) -> None:
        super().__init__(
            f"The key found in {found_in} is not the key of the clinic database in {folder} "
            "(it may belong to another clinic). The database was left untouched. Restore this "
            f"clinic's key with its own recovery code: {_recover(folder)}"
        )
        self.folder = folder


class WrongPassphraseError(StorageError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"The administrator passphrase is not correct for the clinic in {folder}. Nothing "
            "was changed. Try again, minding Caps Lock and the keyboard layout. If the "
            "passphrase is lost, restore the key with the administrator's recovery code, which "
            f"also sets a new passphrase: {_recover(folder)}"
        )
        self.folder = folder


class PassphraseRequiredError(StorageError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"The key of the clinic in {folder} is protected by the administrator passphrase "
            "(no system keyring is available here), and no passphrase was given. Run the "
            "command in a terminal to be asked for it, or set FACILITATOR_PASSPHRASE for "
            "scripted use."
        )
        self.folder = folder


class WeakPassphraseError(StorageError):
    def __init__(self, minimum: int) -> None:
        super().__init__(
            f"The administrator passphrase must have at least {minimum} characters, and both "
            "entries must match. Nothing was saved; choose a longer passphrase."
        )


class GuessablePassphraseError(StorageError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The administrator passphrase was refused: {reason} Nothing was saved; choose "
            "another passphrase."
        )


class KeyringFailedError(StorageError):
    def __init__(self, backend: str, reason: str) -> None:
        super().__init__(
            f"The system keyring ({backend}) refused access: {reason}. Unlock the keyring (log "
            "in to the desktop session, or unlock it in the keyring manager) and try again."
        )


class KeyringTimeoutError(StorageError):
    def __init__(self, keyring: str, seconds: float) -> None:
        super().__init__(
            f"The system keyring ({keyring}) did not answer within {seconds:g} seconds, so "
            "the clinic's key could not be read or saved. Nothing was changed. The keyring "
            "service is probably stuck: log out of the desktop session and back in (or restart "
            "the computer), unlock the keyring if it asks, and try again. If it keeps "
            "happening, ask IT to check the keyring service (the Secret Service, such as "
            "gnome-keyring or KWallet)."
        )


class KeyInfoMissingError(StorageError):
    def __init__(self, path: Path, key_info: Path) -> None:
        super().__init__(
            f"{path} is not a Facilitator database this computer can read: it is encrypted, or "
            f"damaged, and the file that identifies its key ({key_info.name}) is missing. It "
            f"was left untouched. Restore {key_info.name} from a backup of the data folder, or "
            "restore the key with the administrator's recovery code: "
            f"{_recover(path.parent)}"
        )
        self.path = path


class KeyInfoDamagedError(StorageError):
    def __init__(self, key_info: Path, reason: str) -> None:
        super().__init__(
            f"{key_info} cannot be read ({reason}). The database was left untouched. Restore "
            "that file from a backup of the data folder, or restore the key with the "
            f"administrator's recovery code: {_recover(key_info.parent)}"
        )


class BadRecoveryCodeError(StorageError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"That recovery code cannot be used: {reason}. Nothing was changed. Check the code "
            "against the printed copy (the digits 0, 1 and 8 are read as the letters O, I and "
            "B) and try again."
        )
