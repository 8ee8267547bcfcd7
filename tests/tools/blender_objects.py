"""Import one GLB or FBX into an empty Blender scene (bpy) and print each object: type, mesh, mesh users, collections."""

import json
import sys

import bpy

bpy.ops.wm.read_factory_settings(use_empty=True)
path = sys.argv[1]
if path.endswith(".glb"):
    bpy.ops.import_scene.gltf(filepath=path)
else:
    bpy.ops.import_scene.fbx(filepath=path)
out = {
    o.name: {
        "type": o.type,
        "mesh": o.data.name if o.type == "MESH" else None,
        "users": o.data.users if o.type == "MESH" else 0,
        "collections": [c.name for c in o.users_collection],
    }
    for o in bpy.data.objects
}
print("HYWORLD_JSON " + json.dumps(out))
