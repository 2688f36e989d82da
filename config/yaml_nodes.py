"""YAML to plain Python values while remembering the line of every value, for precise errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class ConfigError(ValueError):
    """A configuration file problem, naming the file, the line and the setting."""

    def __init__(self, file: Path, line: int | None, setting: str, message: str) -> None:
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {setting}: {message}" if setting else f"{where}: {message}")
        self.file, self.line, self.setting = file, line, setting


@dataclass
class Located:
    """The parsed document and the 1-based line where each path starts."""

    file: Path
    value: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of the value at `path`, or of its nearest parent."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: Path_, message: str) -> ConfigError:
        """A ConfigError for the value at `path`."""
        return ConfigError(self.file, self.line(path), setting_name(path), message)


def setting_name(path: Path_) -> str:
    """A readable setting name: ("rkks", 1, "channel") -> "rkks[1].channel"."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def load_located(file: Path) -> Located:
    """Parse a YAML file into values with line numbers; syntax errors become ConfigErrors."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ConfigError(file, None, "", "file not found") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(file, None, "", f"cannot read the file ({error})") from error
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ConfigError(file, line, "", f"not valid YAML: {error.problem}") from error
    located = Located(file, None)
    located.value = _convert(node, (), located) if node is not None else {}
    return located


def _convert(node: yaml.Node, path: Path_, located: Located) -> Any:
    located.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                line = key_node.start_mark.line + 1
                raise ConfigError(located.file, line, setting_name((*path, key)), "appears twice")
            result[key] = _convert(value_node, (*path, key), located)
            located.lines[(*path, key)] = key_node.start_mark.line + 1  # errors point at the key
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), located) for index, item in enumerate(node.value)]
    try:
        return yaml.SafeLoader(" ").construct_object(node, deep=True)  # type: ignore[no-untyped-call]  # PyYAML is untyped
    except (yaml.YAMLError, ValueError, TypeError) as error:  # impossible dates, unknown tags
        problem = getattr(error, "problem", None) or str(error)
        line = node.start_mark.line + 1
        raise ConfigError(located.file, line, setting_name(path), f"unreadable value: {problem}") from error
