"""deploy/aws/filot.yaml as data for tests, with its intrinsic functions resolved.

CloudFormation resolves ``Ref``, ``Fn::Sub``, ``Fn::GetAtt``, ``Fn::If`` and dynamic references
(``{{resolve:secretsmanager:...}}``) when it deploys; ECS then injects ``Secrets`` from Secrets
Manager. ``Stack`` does the same offline, with parameters given by the test and stand-ins for
what only AWS knows (endpoint addresses, ARNs, generated passwords), so that a test can read
the exact environment a container would start with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy/aws/filot.yaml"
ENTRYPOINT = "deploy/aws/ecs-entrypoint.sh"
DYNAMIC = re.compile(r"\{\{resolve:secretsmanager:([^}]*)\}\}")
PLACEHOLDER = re.compile(r"\$\{([^}!][^}]*)\}")


@cache
def load() -> dict[str, Any]:
    """The template, with short-form tags (``!Ref``) in their long form (``{"Ref": ...}``)."""
    return _plain(cfn_yaml.load(str(TEMPLATE)))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in load()["Resources"].items() if body["Type"] == kind}


def filot_containers() -> Iterator[tuple[str, dict[str, Any]]]:
    """(task definition, container) for every container that runs FiLot's own code."""
    for name, body in resources("AWS::ECS::TaskDefinition").items():
        for container in body["Properties"]["ContainerDefinitions"]:
            if ENTRYPOINT in container.get("EntryPoint", []):
                yield name, container


def names(container: Mapping[str, Any]) -> set[str]:
    """Every variable a container gets, from Environment and from Secrets."""
    return {e["Name"] for e in container.get("Environment", [])} | {
        s["Name"] for s in container.get("Secrets", [])
    }


@dataclass
class Stack:
    """The template deployed with ``parameters``; ``secrets`` maps a secret's ARN to its string
    (or, for JSON secrets, to a dict of keys); ``attributes`` stands in for ``Fn::GetAtt``."""

    parameters: Mapping[str, str]
    secrets: dict[str, Any] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    pseudo: Mapping[str, str] = field(
        default_factory=lambda: {
            "AWS::Region": "ap-southeast-3",
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws",
            "AWS::StackName": "filot-test",
        }
    )

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        declared = load()["Parameters"].get(name)
        if declared is not None:
            if name in self.parameters:
                return self.parameters[name]
            if "Default" in declared:
                return str(declared["Default"])
            raise KeyError(f"parameter {name} has no value and no default")
        if name not in load()["Resources"]:
            raise KeyError(f"Ref to unknown {name}")
        return f"arn:aws:test:::{name}" if "Secret" in name else f"{name}-id"

    def get_att(self, resource: str, attribute: str) -> str:
        return self.attributes.get(f"{resource}.{attribute}", f"{resource}-{attribute}")

    def condition(self, name: str) -> bool:
        return bool(self.resolve(load()["Conditions"][name]))

    def resolve(self, value: Any, local: Mapping[str, str] | None = None) -> Any:
        if isinstance(value, list):
            return [self.resolve(v, local) for v in value]
        if isinstance(value, str):
            return DYNAMIC.sub(lambda m: self._dynamic(m.group(1)), value)
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            return {k: self.resolve(v, local) for k, v in value.items()}
        [(key, arg)] = value.items()
        handler = self._functions().get(key)
        if handler is None:
            return {key: self.resolve(arg, local)}
        return handler(arg, local or {})

    def _functions(self) -> dict[str, Callable[[Any, Mapping[str, str]], Any]]:
        return {
            "Ref": lambda a, _: self.ref(a),
            "Fn::GetAtt": lambda a, _: self.get_att(
                *(a.split(".", 1) if isinstance(a, str) else a)
            ),
            "Fn::Sub": self._sub,
            "Fn::If": lambda a, loc: self.resolve(a[1] if self.condition(a[0]) else a[2], loc),
            "Fn::Join": lambda a, loc: a[0].join(str(v) for v in self.resolve(a[1], loc)),
            "Fn::Equals": lambda a, loc: self.resolve(a[0], loc) == self.resolve(a[1], loc),
            "Fn::Not": lambda a, loc: not self.resolve(a[0], loc),
            "Condition": lambda a, _: self.condition(a),
        }

    def _sub(self, arg: Any, local: Mapping[str, str]) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        scope = {**local, **{k: str(self.resolve(v, local)) for k, v in variables.items()}}

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in scope:
                return scope[name]
            if "." in name and name not in self.pseudo:
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        text = PLACEHOLDER.sub(one, text).replace("${!", "${")
        return str(self.resolve(text))

    def _dynamic(self, reference: str) -> str:
        arn, _, rest = reference.partition(":SecretString")
        key = rest.lstrip(":").split(":")[0]
        return self._secret(arn, key)

    def _secret(self, arn: str, key: str = "") -> str:
        value = self.secrets[arn]
        if key:
            return str(value[key] if isinstance(value, dict) else json.loads(value)[key])
        return value if isinstance(value, str) else json.dumps(value)

    def secret_from(self, value_from: str) -> str:
        """What ECS injects for a container secret: the whole secret or one JSON key
        (``arn:...:secret:name:KEY::``)."""
        if value_from in self.secrets:
            return self._secret(value_from)
        arn, key = re.fullmatch(r"(.*):([A-Z0-9_]+)::", value_from).groups()  # type: ignore[union-attr]
        return self._secret(arn, key)

    def environment(self, container: Mapping[str, Any]) -> dict[str, str]:
        """The environment ECS would start ``container`` with."""
        env = {e["Name"]: str(self.resolve(e["Value"])) for e in container.get("Environment", [])}
        for secret in container.get("Secrets", []):
            env[secret["Name"]] = self.secret_from(self.resolve(secret["ValueFrom"]))
        return env

    def in_stack_secret(self, logical_id: str) -> str:
        """The string of a secret the template itself defines (e.g. DATABASE_URL)."""
        return str(self.resolve(load()["Resources"][logical_id]["Properties"]["SecretString"]))
