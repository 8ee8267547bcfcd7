"""FBX property templates (the Definitions section): each object class's properties and defaults."""

from __future__ import annotations

from exporters.fbx.document import (
    p_bool,
    p_color,
    p_color_rgb,
    p_enum,
    p_int,
    p_lcl,
    p_number,
    p_string,
    p_vector,
)

TEMPLATES: dict[str, tuple[str, list[tuple]]] = {
    "Model": (
        "FbxNode",
        [
            p_enum("RotationOrder", 0),
            p_bool("RotationActive", False),
            p_enum("InheritType", 0),
            p_vector("PreRotation", (0, 0, 0)),
            p_vector("PostRotation", (0, 0, 0)),
            p_vector("RotationPivot", (0, 0, 0)),
            p_vector("ScalingPivot", (0, 0, 0)),
            p_vector("GeometricTranslation", (0, 0, 0)),
            p_vector("GeometricRotation", (0, 0, 0)),
            ("GeometricScaling", "Vector3D", "Vector", "", 1.0, 1.0, 1.0),
            p_lcl("Lcl Translation", (0, 0, 0)),
            p_lcl("Lcl Rotation", (0, 0, 0)),
            p_lcl("Lcl Scaling", (1, 1, 1)),
            ("Visibility", "Visibility", "", "A", 1.0),
            p_int("DefaultAttributeIndex", -1),
        ],
    ),
    "NodeAttribute": (
        "FbxLODGroup",
        [
            p_bool("MinMaxDistance", False),
            p_bool("WorldSpace", False),
            p_bool("ThresholdsUsedAsPercentage", False),
        ],
    ),
    "Geometry": (
        "FbxMesh",
        [
            p_color_rgb("Color", (0.8, 0.8, 0.8)),
            p_vector("BBoxMin", (0, 0, 0)),
            p_vector("BBoxMax", (0, 0, 0)),
            p_bool("Primary Visibility", True),
            p_bool("Casts Shadows", True),
            p_bool("Receive Shadows", True),
        ],
    ),
    "Material": (
        "FbxSurfaceLambert",
        [
            p_string("ShadingModel", "Lambert"),
            p_bool("MultiLayer", False),
            p_color("EmissiveColor", (0, 0, 0)),
            p_number("EmissiveFactor", 1.0),
            p_color("AmbientColor", (0.2, 0.2, 0.2)),
            p_number("AmbientFactor", 1.0),
            p_color("DiffuseColor", (0.8, 0.8, 0.8)),
            p_number("DiffuseFactor", 1.0),
            ("NormalMap", "Vector3D", "Vector", "", 0.0, 0.0, 0.0),
            p_number("BumpFactor", 1.0),
            p_color("TransparentColor", (0, 0, 0)),
            p_number("TransparencyFactor", 0.0),
        ],
    ),
    "Texture": (
        "FbxFileTexture",
        [
            p_enum("TextureTypeUse", 0),
            p_number("Texture alpha", 1.0),
            p_enum("CurrentMappingType", 0),
            p_enum("WrapModeU", 0),
            p_enum("WrapModeV", 0),
            p_bool("UVSwap", False),
            p_enum("AlphaSource", 2),
            p_string("UVSet", "default"),
            p_bool("UseMaterial", False),
        ],
    ),
    "Video": (
        "FbxVideo",
        [
            p_string("Path", "", "XRefUrl"),
            p_string("RelPath", "", "XRefUrl"),
            p_bool("ImageSequence", False),
        ],
    ),
}
